namespace Svi.Server.Models;

/// <summary>What the hub says of one pinned file (<see cref="RemoteManifestCheck"/>).</summary>
public enum RemoteStatus
{
    /// <summary>Present, with the manifest's size and sha256 (each that both sides state).</summary>
    Same,
    /// <summary>Present, but the hub or the manifest states no size or sha256 to compare.</summary>
    Unverified,
    /// <summary>Present with another size or sha256 than the manifest's.</summary>
    Moved,
    /// <summary>Not found at the pinned revision (404).</summary>
    Vanished,
    /// <summary>The hub refused the request (gated or private: set HF_TOKEN).</summary>
    Denied,
    /// <summary>No answer, or an answer that is none of the above.</summary>
    Unreachable,
}

/// <param name="File">the copy asked about (a manifest file or one of its alternatives)</param>
/// <param name="Detail">what differs, or what was compared</param>
/// <param name="Commit">the commit the hub answered from (X-Repo-Commit), when it says</param>
public sealed record RemoteFileState(ManifestFile File, RemoteStatus Status, string Detail, string? Commit)
{
    public bool Broken => Status is RemoteStatus.Moved or RemoteStatus.Vanished;
}
