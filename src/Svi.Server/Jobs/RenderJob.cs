using Svi.Inference.Pipeline;

namespace Svi.Server.Jobs;

/// <param name="ContinueFrom">
/// an extension's copy of its source's finished state (<c>checkpoint/</c>, <c>parts/</c>, <c>thumbnail.jpg</c>); the
/// render starts after the source's last clip. Null for a generation from scratch.
/// </param>
public sealed record RenderJob(string GenerationId, GenerationSpec Spec, string WorkDirectory, string? ContinueFrom = null)
{
    /// <summary>The decoded input image (PNG) of an image-to-video spec (<see cref="GenerationSpec.HasImage"/>); null without one.</summary>
    public string? InputImage { get; init; }
}
