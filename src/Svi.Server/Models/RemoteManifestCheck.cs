using System.Net;

namespace Svi.Server.Models;

/// <summary>
/// Asks the hub whether every file of a manifest still exists at its revision with the listed size and sha256, with
/// HEAD requests only (nothing is downloaded): the hub's X-Linked-Size and X-Linked-ETag (an LFS file's sha256), or
/// Content-Length for a small file. Each published copy is asked once, alternatives included.
/// </summary>
public sealed class RemoteManifestCheck(HubDownloader hub, HubOptions options)
{
    public async Task<IReadOnlyList<RemoteFileState>> CheckAsync(IEnumerable<ManifestFile> files, CancellationToken ct)
    {
        // A tensor copy is part of a file the manifest lists, which is asked about as itself.
        var copies = files.SelectMany(f => f.Copies()).Where(c => c.Tensor is null).DistinctBy(c => (c.Source.Repo, c.Source.Revision, c.Source.Path)).ToList();
        var states = new RemoteFileState[copies.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, copies.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            async (i, token) => states[i] = await CheckOneAsync(copies[i], token));
        return states;
    }

    async Task<RemoteFileState> CheckOneAsync(ManifestFile file, CancellationToken ct)
    {
        var uri = options.FileUri(file.Source);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.IdleTimeout);
        try
        {
            using var response = await hub.HeadAsync(uri, timeout.Token);
            string? commit = response.Headers.TryGetValues("X-Repo-Commit", out var values) ? values.FirstOrDefault() : null;
            RemoteFileState State(RemoteStatus status, string detail) => new(file, status, detail, commit);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return State(RemoteStatus.Vanished, $"not found at {file.Source.RevisionOrDefault} (HTTP 404)");
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return State(RemoteStatus.Denied, $"HTTP {(int)response.StatusCode}: gated or private (set HF_TOKEN)");
            if (!response.IsSuccessStatusCode)
                return State(RemoteStatus.Unreachable, $"HTTP {(int)response.StatusCode}");

            long? size = HubDownloader.LinkedSize(response) ?? response.Content.Headers.ContentLength;
            string? sha = HubDownloader.LinkedSha256(response);
            var moved = new List<string>();
            if (file.Size is { } listed && size is { } served && listed != served) moved.Add($"size {served:N0} bytes, manifest {listed:N0}");
            if (file.Sha256 is { } pinned && sha is not null && pinned != sha) moved.Add($"sha256 {sha}, manifest {pinned}");
            if (moved.Count > 0) return State(RemoteStatus.Moved, string.Join("; ", moved));

            var unverified = new List<string>();
            if (file.Size is null || size is null) unverified.Add(file.Size is null ? $"size not in the manifest (hub: {Text(size)})" : "hub states no size");
            if (file.Sha256 is null || sha is null) unverified.Add(file.Sha256 is null ? $"sha256 not in the manifest (hub: {sha ?? "none"})" : "hub states no sha256");
            return unverified.Count > 0
                ? State(RemoteStatus.Unverified, string.Join("; ", unverified))
                : State(RemoteStatus.Same, $"{size:N0} bytes, sha256 matches");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new RemoteFileState(file, RemoteStatus.Unreachable, e is OperationCanceledException ? "no answer in time" : e.Message, null);
        }
    }

    static string Text(long? size) => size is { } s ? $"{s:N0} bytes" : "none";
}
