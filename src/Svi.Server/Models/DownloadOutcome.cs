namespace Svi.Server.Models;

/// <param name="Sha256">the digest of the file on disk</param>
/// <param name="ChecksumSource">manifest, hub (the LFS ETag) or none (nothing published: only the size was checked)</param>
public sealed record DownloadOutcome(string Path, long Bytes, string Sha256, string ChecksumSource);
