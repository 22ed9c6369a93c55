using Svi.Inference.Svi;

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

/// <param name="ContinueFrom">
/// an extension's copy of its source's finished state (<c>checkpoint/</c>, <c>parts/</c>, <c>thumbnail.jpg</c>); the
/// render starts after the source's last clip. Null for a generation from scratch.
/// </param>
public sealed record RenderJob(string GenerationId, GenerationSpec Spec, string WorkDirectory, string? ContinueFrom = null);

/// <param name="Fraction">finished denoising steps / total steps, 0..1</param>
public sealed record RenderProgress(double Fraction, int Clip, int ClipsTotal);

/// <param name="Mode">which path ran: <c>i2v</c>, <c>t2v-quality</c> or <c>t2v-fast</c></param>
public sealed record RenderResult(string VideoPath, string ThumbnailPath, int Frames, string Mode);
