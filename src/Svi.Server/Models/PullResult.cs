namespace Svi.Server.Models;

public sealed record PullResult(ManifestFile File, PullStatus Status, string Detail);
