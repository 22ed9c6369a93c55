using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <summary>
/// Where an extension starts: <paramref name="SourceDirectory"/> holds its source's copied state
/// (<c>checkpoint/</c>, <c>parts/</c>, <c>thumbnail.jpg</c>), or, with <paramref name="UploadFrames"/>, an uploaded
/// video that counted that many frames at 16 fps when it was accepted.
/// </summary>
public sealed record RenderContinuation(string SourceDirectory, int? UploadFrames = null)
{
    /// <summary>
    /// The plan a render follows (<see cref="ClipPlanner.ForUpload"/> when it continues an upload); the server's
    /// <c>clips_total</c> at submission comes from the same planner.
    /// </summary>
    public static ClipPlan Plan(GenerationSpec spec, RenderContinuation? continuation)
    {
        if (continuation?.UploadFrames is not { } uploaded) return ClipPlanner.ForDuration(spec.DurationSeconds, spec.MotionLatents);
        return ClipPlanner.ForUpload(ClipPlanner.OutputFrames(spec.DurationSeconds) - uploaded, spec.MotionLatents);
    }

    /// <summary>The frames the finished video has.</summary>
    public static int OutputFrames(ClipPlan plan, RenderContinuation? continuation) =>
        continuation?.UploadFrames is { } uploaded ? plan.OutputFrames - plan.FramesPerClip + uploaded : plan.OutputFrames;
}
