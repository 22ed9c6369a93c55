using Svi.Inference.Rendering;

namespace Svi.Server.Jobs;

/// <summary>
/// What a generation job calls to turn a spec into files. One implementation runs the SVI pipeline; the job
/// layer knows nothing about models.
/// </summary>
public interface IVideoRenderer
{
    /// <summary>
    /// Renders (or resumes) the generation into <paramref name="job"/>'s work directory: <c>video.mp4</c> when done,
    /// <c>partial.mp4</c> after each finished clip, <c>thumbnail.jpg</c>, and whatever resuming needs.
    /// Throws <see cref="OperationCanceledException"/> when cancelled between steps.
    /// </summary>
    Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken);
}
