using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <param name="Fraction">the render's work done, 0..1; 1 only once the MP4 is written (<see cref="RenderWork"/>)</param>
/// <param name="Clip">index of the clip being worked on (0-based)</param>
/// <param name="ClipsCompleted">clips whose frames are encoded into the partial video (an extension counts its source's)</param>
public sealed record RenderProgress(double Fraction, int Clip, int ClipsTotal, int ClipsCompleted, RenderStage Stage)
{
    /// <summary>The MP4 is written.</summary>
    public static RenderProgress Done(int clips) => new(1.0, clips - 1, clips, clips, RenderStage.Encoding);
}
