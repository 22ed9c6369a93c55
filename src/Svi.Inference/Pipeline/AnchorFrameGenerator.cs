using Svi.Inference.Wan;

namespace Svi.Inference.Pipeline;

/// <summary>
/// Text-to-video starts by making the anchor frame: a text-to-video model (Wan 2.2 T2V-A14B, or its few-step
/// distilled variant for the fast tier) samples a single latent frame, which is decoded to the anchor image; the
/// video then continues exactly as image-to-video from that image.
/// </summary>
public sealed class AnchorFrameGenerator(ExpertPair experts, IVideoVae vae, INoiseSource noise, ScalarType dtype, Device device)
{
    /// <summary>The anchor image; <paramref name="progress"/> receives the number of finished steps.</summary>
    // → [H, W, 3] uint8
    public Tensor Generate(SviSampling sampling, long seed, int height, int width, Tensor positive, Tensor? negative,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var schedule = sampling.NewSampler(seed);
        using var ownedSchedule = schedule as IDisposable;
        long[] shape = [1, vae.LatentChannels, 1, height / vae.SpatialStride, width / vae.SpatialStride];
        var x = noise.Noise(-1, seed, shape, dtype, device);
        var context = Batched(positive).to(dtype, device);
        var loop = sampling.Loop(schedule, experts);
        var unconditionalContext = loop.Guided
            ? Batched(negative ?? throw new ArgumentNullException(nameof(negative), "cfg ≠ 1 needs a negative context")).to(dtype, device)
            : null;
        x = loop.Run(x, null, context, unconditionalContext, (step, _) => progress?.Report(step), cancellationToken);
        var image = ClipFrames.ToRgb24(vae.Decode(x).clamp(-1, 1))[0];
        return image.contiguous().MoveToOuterDisposeScope();
    }

    static Tensor Batched(Tensor context) => context.dim() == 2 ? context.unsqueeze(0) : context;
}
