namespace Svi.Server.Models;

/// <summary>
/// Another published file that serves the same role as a manifest file (Kijai's repackaged experts and LoRAs, or the
/// same file where a ComfyUI models folder keeps it), so a models directory that holds it needs no download.
/// Pulled never: <c>pull</c> fetches the primary file only when no copy is installed.
/// </summary>
public sealed record ManifestAlternative(string Path, ModelSource Source, long? Size, string? Sha256, string? License,
    string? Provenance = null);
