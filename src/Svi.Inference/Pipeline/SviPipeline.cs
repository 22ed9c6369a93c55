using Serilog;
using Svi.Inference.Rendering;
using Svi.Inference.Wan;

namespace Svi.Inference.Pipeline;

/// <summary>
/// The SVI 2.0 Pro clip loop (svi2pro.md §11): per clip, condition on the anchor and the previous clip's last m raw
/// latents, sample (the recipe's sampler) through the two experts with CFG, decode, stitch, hand the frames to the
/// sink and checkpoint. Only the motion latents live across clips, so memory is flat however long the video.
/// </summary>
public sealed class SviPipeline(ExpertPair experts, IVideoVae vae, INoiseSource noise, ScalarType dtype, Device device)
{
    /// <summary>
    /// With guidance, run the positive and the negative prompt as one batch-2 forward instead of two batch-1 forwards
    /// (same result; needs the activation memory of two samples, which the memory plan grants or not).
    /// </summary>
    public bool BatchedGuidance { get; init; }

    static readonly ILogger Log = Serilog.Log.ForContext<SviPipeline>();

    public ISviObserver? Observer { get; init; }

    /// <summary>
    /// Renders every clip not yet in <paramref name="checkpoints"/>. A checkpoint for the same
    /// <paramref name="runKey"/> resumes after its last finished clip; the result is the same as a run that was
    /// never interrupted. Throws <see cref="OperationCanceledException"/> before the next step once cancelled.
    /// </summary>
    public void Run(SviRun run, IFrameSink sink, SviCheckpointStore? checkpoints, string runKey,
        IProgress<SviProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        var sampling = run.Sampling;
        int startClip = 0;
        Tensor? motion = null;
        if (checkpoints?.Load(runKey) is { } checkpoint)
        {
            startClip = checkpoint.FinishedClips;
            motion = checkpoints.LoadMotionLatents(device);
            Log.Information("Resuming after clip {Clip} of {Clips} ({Frames} frames written)",
                startClip - 1, plan.Clips, checkpoint.FramesWritten);
        }
        try
        {
            for (int clip = startClip; clip < plan.Clips; clip++)
            {
                using var scope = NewDisposeScope();
                var latent = SampleClip(run, clip, motion, progress, cancellationToken);
                progress?.Report(new SviProgress(clip, plan.Clips, sampling.Steps, sampling.Steps, RenderStage.Decoding));
                var decoded = vae.Decode(latent).clamp(-1, 1);
                Observer?.Finished(clip, latent, decoded);
                var frames = ClipFrames.ToBytes(ClipFrames.Kept(ClipFrames.ToRgb24(decoded), plan, clip));
                decoded.Dispose();
                sink.Accept(clip, frames);

                var next = ClipConditioning.MotionLatents(latent, plan.MotionLatents).MoveToOuterDisposeScope();
                motion?.Dispose();
                motion = next;
                checkpoints?.Save(new SviCheckpoint(runKey, clip + 1,
                    plan.OutputFramesBefore(clip) + frames.Count, run.Seed), motion);
                Log.Information("Clip {Clip} of {Clips} finished: {Frames} frames", clip, plan.Clips, frames.Count);
                progress?.Report(new SviProgress(clip + 1, plan.Clips, 0, sampling.Steps));
            }
        }
        finally
        {
            motion?.Dispose();
        }
    }

    // → the clip's final latent [1, z, T, h, w]
    Tensor SampleClip(SviRun run, int clip, Tensor? motion, IProgress<SviProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        var sampling = run.Sampling;
        var anchor = run.AnchorLatent.to(dtype, device);
        var y = ClipConditioning.Build(anchor, motion, plan.LatentFramesPerClip);
        Observer?.Conditioning(clip, y);
        long[] shape = [1, anchor.shape[1], plan.LatentFramesPerClip, anchor.shape[3], anchor.shape[4]];
        long seed = ClipSeeds.ForClip(run.Seed, clip);
        var x = noise.Noise(clip, seed, shape, dtype, device);
        Observer?.Trajectory(clip, 0, x);
        var positive = run.Contexts.Positive(clip).to(dtype, device);
        var sampler = sampling.NewSampler(seed);
        using var ownedSampler = sampler as IDisposable;
        var loop = sampling.Loop(sampler, experts, BatchedGuidance);
        var negative = loop.Guided ? run.Contexts.Negative().to(dtype, device) : null;
        progress?.Report(new SviProgress(clip, plan.Clips, 0, sampling.Steps));
        return loop.Run(x, y, positive, negative, (step, state) =>
        {
            Observer?.Trajectory(clip, step, state);
            progress?.Report(new SviProgress(clip, plan.Clips, step, sampling.Steps));
        }, cancellationToken);
    }
}
