using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <summary>One generation to render (or resume) into <paramref name="WorkDirectory"/>.</summary>
public sealed record RenderInput(string GenerationId, GenerationSpec Spec, string WorkDirectory)
{
    /// <summary>
    /// Image-to-video: the input image scaled to cover the video size and centre-cropped, one frame. Read only when
    /// the work directory holds no anchor latent yet.
    /// </summary>
    public Func<RgbFrames>? AnchorImage { get; init; }

    /// <summary>An extension's start; null for a generation from scratch.</summary>
    public RenderContinuation? ContinueFrom { get; init; }
}
