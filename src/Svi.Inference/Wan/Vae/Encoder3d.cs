namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The Wan VAE encoder: <c>conv1</c> → <c>downsamples</c> (Wan 2.1: residual blocks, attention at the configured
/// scales, a resample after every stage but the last; Wan 2.2: one <see cref="DownResidualBlock"/> per stage) →
/// <c>middle</c> (residual, attention, residual) → <c>head</c> (norm, SiLU, causal conv to 2·z channels: posterior
/// mean and log-variance).
/// </summary>
public sealed class Encoder3d : VaeBlock
{
    readonly CausalConv3d conv1;
    readonly TorchSharp.Modules.ModuleList<VaeBlock> downsamples;
    readonly VaeMiddle middle;
    readonly VaeHead head;

    public Encoder3d(WanVaeConfig config) : base(nameof(Encoder3d))
    {
        long[] dims = [config.Dim, .. config.DimMult.Select(m => (long)config.Dim * m)];
        conv1 = new CausalConv3d(config.PixelChannels, dims[0], 3, padding: 1);
        downsamples = new TorchSharp.Modules.ModuleList<VaeBlock>();
        if (config.Generation == WanVaeGeneration.Wan22) AddWan22Stages(config, dims);
        else AddWan21Stages(config, dims);
        long outDim = dims[^1];
        middle = new VaeMiddle(outDim);
        head = new VaeHead(outDim, config.ZDim * 2L);
        register_module("conv1", conv1);
        register_module("downsamples", downsamples);
        register_module("middle", middle);
        register_module("head", head);
    }

    void AddWan21Stages(WanVaeConfig config, long[] dims)
    {
        double scale = 1.0;
        for (int i = 0; i < config.DimMult.Length; i++)
        {
            long inDim = dims[i], outDim = dims[i + 1];
            for (int r = 0; r < config.NumResBlocks; r++)
            {
                downsamples.Add(new ResidualBlock(inDim, outDim));
                if (config.AttnScales.Contains(scale)) downsamples.Add(new AttentionBlock(outDim));
                inDim = outDim;
            }
            if (i == config.DimMult.Length - 1) continue;
            downsamples.Add(new Resample(outDim, config.TemperalDownsample[i] ? ResampleMode.Downsample3d : ResampleMode.Downsample2d));
            scale /= 2.0;
        }
    }

    void AddWan22Stages(WanVaeConfig config, long[] dims)
    {
        for (int i = 0; i < config.DimMult.Length; i++)
            downsamples.Add(new DownResidualBlock(dims[i], dims[i + 1], config.NumResBlocks,
                temporalDownsample: i < config.TemperalDownsample.Length && config.TemperalDownsample[i], downsample: i != config.DimMult.Length - 1));
    }

    // x: [B, 3·p², T, H/p, W/p] (one chunk: 1 frame first, then 4) → [B, 2z, T', H/s, W/s]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        x = conv1.forward(x, cache);
        foreach (var layer in downsamples) x = layer.forward(x, cache);
        x = middle.forward(x, cache);
        return head.forward(x, cache).MoveToOuterDisposeScope();
    }
}
