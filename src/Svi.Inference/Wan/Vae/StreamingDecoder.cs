namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Decodes a video one latent frame at a time, carrying the causal caches from frame to frame, so a pipeline can
/// hand each chunk of pixels on (to the video encoder) without holding the clip. Latent frame 0 gives 1 pixel frame,
/// every later one 4. <see cref="ClearCache"/> starts an independent video; <see cref="Dispose"/> frees the caches.
/// With tiling, every tile keeps its own caches (memory: see <see cref="VaeTiling"/>).
/// </summary>
public sealed class StreamingDecoder : IDisposable
{
    readonly WanVideoVae vae;
    readonly VaeTiling? tiling;
    readonly List<FeatureCache> caches = [];
    TilePlan? plan;

    internal StreamingDecoder(WanVideoVae vae, VaeTiling? tiling)
    {
        tiling?.Validate();
        this.vae = vae;
        this.tiling = tiling;
    }

    /// <summary>Latent frames decoded since the last <see cref="ClearCache"/>.</summary>
    public long FramesDecoded { get; private set; }

    // latentFrame: [B, z, 1, h, w] normalised → [B, 3, 1 (first frame) or 4, h·s, w·s] float32, not clamped;
    // the caller owns the result
    public Tensor DecodeNext(Tensor latentFrame)
    {
        vae.CheckLatent(latentFrame);
        if (latentFrame.shape[2] != 1)
            throw new ArgumentException($"DecodeNext takes one latent frame, got {latentFrame.shape[2]}", nameof(latentFrame));
        long h = latentFrame.shape[3], w = latentFrame.shape[4];
        if (plan is null)
        {
            plan = TilePlan.Create(h, w, vae.SpatialStride, tiling);
            caches.AddRange(plan.Tiles.Select(_ => new FeatureCache()));
        }
        else if (plan.LatentHeight != h || plan.LatentWidth != w)
            throw new InvalidOperationException(
                $"latent frame is {w}×{h} but this stream started at {plan.LatentWidth}×{plan.LatentHeight}; call ClearCache first");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = vae.Denormalize(latentFrame);
        var pixels = plan.Tiles.Count == 1 ? vae.DecodeLatentFrame(z, caches[0]) : vae.BlendTiles(plan, z, caches);
        FramesDecoded++;
        return pixels.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Forgets the previous frames (and the frame size), so the next frame starts a new video.</summary>
    public void ClearCache()
    {
        foreach (var cache in caches) cache.Dispose();
        caches.Clear();
        plan = null;
        FramesDecoded = 0;
    }

    public void Dispose() => ClearCache();
}
