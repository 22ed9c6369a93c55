using Svi.Inference.Weights;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// What the Wan 2.1 and Wan 2.2 VAEs share: the chunked causal encode (frame 0 alone, then chunks of 4 frames,
/// carrying the convolution caches), the per-latent-frame decode, the posterior-mean normalisation
/// (μ − mean) / std, streaming and tiled decoding. Subclasses provide the modules under their checkpoint names
/// (<c>encoder</c>, <c>conv1</c>, <c>conv2</c>, <c>decoder</c>) and the pixel (un)patchify.
/// </summary>
public abstract class WanVideoVae : nn.Module, IVideoVae
{
    // Children are registered by hand under their checkpoint names; the typed fields are shortcuts to them.
    protected override void RegisterComponents() { }

    protected WanVideoVae(string name, WanVaeConfig config) : base(name)
    {
        Config = config;
        TemporalStride = 1 << config.TemperalDownsample.Count(d => d);
    }

    public WanVaeConfig Config { get; }
    public int LatentChannels => Config.ZDim;
    public int SpatialStride => Config.SpatialStride;
    public int TemporalStride { get; }

    /// <summary>When set, <see cref="Decode"/> decodes tile by tile (see <see cref="VaeTiling"/> for the memory budget).</summary>
    public VaeTiling? Tiling { get; set; }

    protected abstract VaeBlock EncoderNet { get; }
    protected abstract VaeBlock DecoderNet { get; }
    /// <summary><c>conv1</c>: encoder features → posterior mean and log-variance.</summary>
    protected abstract CausalConv3d PosteriorConv { get; }
    /// <summary><c>conv2</c>: latent → decoder input.</summary>
    protected abstract CausalConv3d LatentConv { get; }

    /// <summary>Pixels [B, 3, T, H, W] → what the encoder's first conv takes.</summary>
    protected virtual Tensor ToEncoderInput(Tensor pixels) => pixels;
    /// <summary>The decoder head's output → pixels [B, 3, T, H, W].</summary>
    protected virtual Tensor FromDecoderOutput(Tensor output) => output;

    /// <summary>Copies a checkpoint (official key names, any float dtype) into this module; strict about every key.</summary>
    public void Load(SafetensorsFile checkpoint, string keyPrefix = "") => StateDictLoader.LoadStrict(this, checkpoint, keyPrefix);

    ScalarType WeightType => PosteriorConv.weight.dtype;
    Device WeightDevice => PosteriorConv.weight.device;

    // video: [B, 3, T, H, W] in [-1, 1], T = 1 + 4k → [B, z, 1 + k, H/s, W/s] float32, normalised
    public Tensor Encode(Tensor video)
    {
        CheckVideo(video);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = ToEncoderInput(video.to(WeightType, WeightDevice));
        using var cache = new FeatureCache();
        var features = new List<Tensor>();
        for (long start = 0; start < x.shape[2]; start += start == 0 ? 1 : TemporalStride)
        {
            using var chunkScope = NewDisposeScope();
            long length = start == 0 ? 1 : TemporalStride;
            features.Add(EncoderNet.forward(x.narrow(2, start, length), cache).MoveToOuterDisposeScope());
        }
        var moments = PosteriorConv.forward(features.Count == 1 ? features[0] : cat(features, 2), null);
        var mu = moments.narrow(1, 0, Config.ZDim);
        var (mean, inverseStd) = Statistics(mu);
        return ((mu - mean) * inverseStd).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    // latent: [B, z, t, h, w] → [B, 3, 1 + 4(t − 1), h·s, w·s] float32, not clamped
    public Tensor Decode(Tensor latent)
    {
        if (Tiling is not null) return DecodeTiled(latent, Tiling);
        using var scope = NewDisposeScope();
        var chunks = DecodeFrames(latent).ToList();
        return cat(chunks, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes one latent frame at a time and yields its pixels as soon as they exist: [B, 3, 1, H, W] for the
    /// first latent frame, then [B, 3, 4, H, W] per frame (float32, not clamped; the caller owns each chunk).
    /// The causal caches live only while the enumeration runs and are freed when it ends or is disposed.
    /// With <paramref name="tiling"/>, each latent frame is decoded tile by tile and blended; every tile keeps its
    /// own caches for the whole enumeration.
    /// </summary>
    public IEnumerable<Tensor> DecodeFrames(Tensor latent, VaeTiling? tiling = null)
    {
        CheckLatent(latent);
        using var decoder = CreateStreamingDecoder(tiling);
        for (long i = 0; i < latent.shape[2]; i++)
        {
            // The frame view is made inside a scope too: outside one it would outlive the enumeration.
            Tensor chunk;
            using (var scope = NewDisposeScope())
                chunk = decoder.DecodeNext(latent.narrow(2, i, 1)).MoveToOuterDisposeScope();
            yield return chunk;
        }
    }

    /// <summary>Streams with <see cref="Tiling"/> when it is set (tile activations, every tile's caches).</summary>
    IEnumerable<Tensor> IVideoVae.DecodeFrames(Tensor latent) => DecodeFrames(latent, Tiling);

    /// <summary>A decoder fed one latent frame at a time, keeping the causal caches between calls.</summary>
    public StreamingDecoder CreateStreamingDecoder(VaeTiling? tiling = null) => new(this, tiling);

    /// <summary>
    /// Decodes tile by tile, each tile through all latent frames with its own caches, into one float32 output:
    /// the lowest-memory decode (one tile's activations and caches at a time; budget in <see cref="VaeTiling"/>).
    /// </summary>
    // latent: [B, z, t, h, w] → [B, 3, 1 + 4(t − 1), h·s, w·s]
    public Tensor DecodeTiled(Tensor latent, VaeTiling tiling)
    {
        CheckLatent(latent);
        var plan = TilePlan.Create(latent.shape[3], latent.shape[4], SpatialStride, tiling);
        long s = SpatialStride;
        long frames = 1 + TemporalStride * (latent.shape[2] - 1);
        var output = zeros([latent.shape[0], 3, frames, latent.shape[3] * s, latent.shape[4] * s], device: WeightDevice);
        var weightSum = zeros([1, 1, 1, latent.shape[3] * s, latent.shape[4] * s], device: WeightDevice);
        foreach (var tile in plan.Tiles)
        {
            using var cache = new FeatureCache();
            using var tileScope = NewDisposeScope();
            var weights = TilePlan.Weights(tile, WeightDevice);
            var rows = (tile.Top * s, tile.Height * s);
            var columns = (tile.Left * s, tile.Width * s);
            Region(weightSum, rows, columns).add_(weights);
            long t0 = 0;
            for (long i = 0; i < latent.shape[2]; i++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var z = Denormalize(TileOf(latent.narrow(2, i, 1), tile));
                var pixels = DecodeLatentFrame(z, cache).to(ScalarType.Float32);
                Region(output.narrow(2, t0, pixels.shape[2]), rows, columns).add_(pixels * weights);
                t0 += pixels.shape[2];
            }
        }
        output.div_(weightSum);
        weightSum.Dispose();
        return output;
    }

    // z (denormalised): [B, z, 1, h, w] → pixels [B, 3, 1 or 4, h·s, w·s]
    internal Tensor DecodeLatentFrame(Tensor z, FeatureCache cache)
    {
        using var scope = NewDisposeScope();
        var features = LatentConv.forward(z.to(WeightType, WeightDevice), null);
        return FromDecoderOutput(DecoderNet.forward(features, cache)).MoveToOuterDisposeScope();
    }

    internal Tensor BlendTiles(TilePlan plan, Tensor z, IReadOnlyList<FeatureCache> caches)
    {
        long s = SpatialStride;
        Tensor? sum = null, weightSum = null;
        for (int k = 0; k < plan.Tiles.Count; k++)
        {
            var tile = plan.Tiles[k];
            var pixels = DecodeLatentFrame(TileOf(z, tile), caches[k]).to(ScalarType.Float32);
            sum ??= zeros([pixels.shape[0], pixels.shape[1], pixels.shape[2], z.shape[3] * s, z.shape[4] * s], device: pixels.device);
            weightSum ??= zeros([1, 1, 1, z.shape[3] * s, z.shape[4] * s], device: pixels.device);
            var weights = TilePlan.Weights(tile, pixels.device);
            var rows = (tile.Top * s, tile.Height * s);
            var columns = (tile.Left * s, tile.Width * s);
            Region(sum, rows, columns).add_(pixels * weights);
            Region(weightSum, rows, columns).add_(weights);
            pixels.Dispose();
        }
        return sum!.div_(weightSum!);
    }

    static Tensor TileOf(Tensor latent, DecodeTile tile)
        => latent.narrow(3, tile.Top, tile.Height).narrow(4, tile.Left, tile.Width);

    static Tensor Region(Tensor video, (long Start, long Length) rows, (long Start, long Length) columns)
        => video.narrow(3, rows.Start, rows.Length).narrow(4, columns.Start, columns.Length);

    // The reference scales by 1/std (a float32 tensor) and decodes by dividing by that same tensor.
    (Tensor Mean, Tensor InverseStd) Statistics(Tensor like)
    {
        var mean = tensor(Config.Mean, device: like.device).to(like.dtype).view(1, -1, 1, 1, 1);
        var inverseStd = tensor(Config.Std.Select(v => 1f / v).ToArray(), device: like.device).to(like.dtype).view(1, -1, 1, 1, 1);
        return (mean, inverseStd);
    }

    internal Tensor Denormalize(Tensor latent)
    {
        var z = latent.to(WeightDevice).to(ScalarType.Float32);
        var (mean, inverseStd) = Statistics(z);
        return z / inverseStd + mean;
    }

    void CheckVideo(Tensor video)
    {
        if (video.dim() != 5 || video.shape[1] != 3)
            throw new ArgumentException($"video must be [B, 3, T, H, W], got [{string.Join(", ", video.shape)}]", nameof(video));
        if ((video.shape[2] - 1) % TemporalStride != 0)
            throw new ArgumentException($"video has {video.shape[2]} frames; the VAE takes 1 + {TemporalStride}k", nameof(video));
        if (video.shape[3] % SpatialStride != 0 || video.shape[4] % SpatialStride != 0)
            throw new ArgumentException(
                $"video is {video.shape[4]}×{video.shape[3]}; width and height must be multiples of {SpatialStride}", nameof(video));
    }

    internal void CheckLatent(Tensor latent)
    {
        if (latent.dim() != 5 || latent.shape[1] != Config.ZDim)
            throw new ArgumentException(
                $"latent must be [B, {Config.ZDim}, t, h, w], got [{string.Join(", ", latent.shape)}]", nameof(latent));
    }
}
