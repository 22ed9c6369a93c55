namespace Svi.Server.Models;

/// <summary>Where a file comes from on the model hub: {hub}/{Repo}/resolve/{Revision}/{Path}.</summary>
/// <param name="Revision">the 40-hex commit the file is pinned at, or null where no public record of a commit of the
/// repository was found: the hub's default branch is then asked, and <c>models check --remote</c> prints the commit it
/// answers with, to pin</param>
public sealed record ModelSource(string Repo, string? Revision, string Path)
{
    public const string DefaultBranch = "main";

    public bool Pinned => Revision is not null;

    /// <summary>The revision asked of the hub.</summary>
    public string RevisionOrDefault => Revision ?? DefaultBranch;

    /// <summary>A 40-digit lower-case hex commit id.</summary>
    public static bool IsCommit(string text) => text.Length == 40 && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
