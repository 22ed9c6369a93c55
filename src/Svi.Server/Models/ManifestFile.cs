using Svi.Inference.Runtime;

namespace Svi.Server.Models;

/// <param name="Path">relative to the models directory, forward slashes</param>
/// <param name="Size">bytes, or null where no source publishes it (the hub's own size header is then used)</param>
/// <param name="Sha256">lower-case hex, or null where not published (the hub's LFS ETag is then used when it has one)</param>
/// <param name="Architecture">the weight layout verify checks the file against (see <see cref="Architectures"/>)</param>
/// <param name="Optional">not needed by any generation mode; pulled when present on the hub</param>
/// <param name="Alternatives">other published files that serve the same role (<see cref="ManifestAlternative"/>)</param>
/// <param name="Tensor">set on a copy that is a tensor inside <paramref name="Path"/> (<see cref="ManifestAlternative.Tensor"/>)</param>
public sealed record ManifestFile(
    string Path, ModelRole Role, IReadOnlyList<string> Variants, string Format, string Architecture,
    ModelSource Source, long? Size, string? Sha256, string? License, bool Optional = false, string? Provenance = null,
    IReadOnlyList<ManifestAlternative>? Alternatives = null, string? Tensor = null)
{
    /// <summary>Where this copy is, as people read it: the path, or "tensor in path" for an embedded copy.</summary>
    public string Location => Tensor is null ? Path : $"{Tensor} in {Path}";

    /// <summary>
    /// This file and each alternative, as manifest files of the same role, format and architecture: the copies a models
    /// directory may hold, the primary first.
    /// </summary>
    public IEnumerable<ManifestFile> Copies() => Alternatives is null ? [this]
        : [this, .. Alternatives.Select(a => this with
        {
            Path = a.Path, Source = a.Source, Size = a.Size, Sha256 = a.Sha256, License = a.License, Provenance = a.Provenance, Tensor = a.Tensor,
            Alternatives = null,
        })];
}
