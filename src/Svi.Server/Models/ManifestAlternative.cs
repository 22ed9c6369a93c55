namespace Svi.Server.Models;

/// <summary>
/// Another published file that serves the same role as a manifest file (Kijai's repackaged experts and LoRAs, or the
/// same file where a ComfyUI models folder keeps it), so a models directory that holds it needs no download.
/// Pulled never: <c>pull</c> fetches the primary file only when no copy is installed.
/// </summary>
/// <param name="Tensor">
/// where the copy is a tensor inside <paramref name="Path"/> (another manifest file, a safetensors) rather than the
/// whole file: the tensor holding the primary file's bytes, e.g. <c>spiece_model</c> in Comfy-Org's UMT5 encoders;
/// <paramref name="Size"/> and <paramref name="Sha256"/> then describe the tensor's bytes
/// </param>
public sealed record ManifestAlternative(string Path, ModelSource Source, long? Size, string? Sha256, string? License,
    string? Provenance = null, string? Tensor = null);
