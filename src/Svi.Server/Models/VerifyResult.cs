namespace Svi.Server.Models;

public sealed record VerifyResult(ManifestFile File, VerifyStatus Status, IReadOnlyList<string> Problems);
