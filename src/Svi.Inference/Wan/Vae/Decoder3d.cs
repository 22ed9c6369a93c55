namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The Wan VAE decoder: <c>conv1</c> → <c>middle</c> → <c>upsamples</c> (Wan 2.1: num_res_blocks + 1 residual blocks
/// per stage, an upsample after every stage but the last, whose conv halves the channels; Wan 2.2: one
/// <see cref="UpResidualBlock"/> per stage, width <c>dec_dim</c>) → <c>head</c> (to RGB, times the pixel patch).
/// </summary>
public sealed class Decoder3d : VaeBlock
{
    readonly CausalConv3d conv1;
    readonly VaeMiddle middle;
    readonly TorchSharp.Modules.ModuleList<VaeBlock> upsamples;
    readonly VaeHead head;

    public Decoder3d(WanVaeConfig config) : base(nameof(Decoder3d))
    {
        int[] mult = config.DimMult;
        long[] dims = [config.DecoderDim * (long)mult[^1], .. mult.Reverse().Select(m => (long)config.DecoderDim * m)];
        conv1 = new CausalConv3d(config.ZDim, dims[0], 3, padding: 1);
        middle = new VaeMiddle(dims[0]);
        upsamples = new TorchSharp.Modules.ModuleList<VaeBlock>();
        if (config.Generation == WanVaeGeneration.Wan22) AddWan22Stages(config, dims);
        else AddWan21Stages(config, dims);
        head = new VaeHead(dims[^1], config.PixelChannels);
        register_module("conv1", conv1);
        register_module("middle", middle);
        register_module("upsamples", upsamples);
        register_module("head", head);
    }

    void AddWan21Stages(WanVaeConfig config, long[] dims)
    {
        int stages = config.DimMult.Length;
        double scale = 1.0 / Math.Pow(2, stages - 2);
        for (int i = 0; i < stages; i++)
        {
            long inDim = dims[i], outDim = dims[i + 1];
            // The previous stage's upsampling conv left half the channels (the reference hard-codes stages 1–3).
            if (i is 1 or 2 or 3) inDim /= 2;
            for (int r = 0; r < config.NumResBlocks + 1; r++)
            {
                upsamples.Add(new ResidualBlock(inDim, outDim));
                if (config.AttnScales.Contains(scale)) upsamples.Add(new AttentionBlock(outDim));
                inDim = outDim;
            }
            if (i == stages - 1) continue;
            upsamples.Add(new Resample(outDim, config.TemperalUpsample[i] ? ResampleMode.Upsample3d : ResampleMode.Upsample2d, upsampleOutDim: outDim / 2));
            scale *= 2.0;
        }
    }

    void AddWan22Stages(WanVaeConfig config, long[] dims)
    {
        bool[] temporal = config.TemperalUpsample;
        for (int i = 0; i < config.DimMult.Length; i++)
            upsamples.Add(new UpResidualBlock(dims[i], dims[i + 1], config.NumResBlocks + 1,
                temporalUpsample: i < temporal.Length && temporal[i], upsample: i != config.DimMult.Length - 1));
    }

    // x: [B, z, 1, h, w] (one latent frame) → [B, 3·p², 1 (first) or 4, h·s/p, w·s/p]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        x = conv1.forward(x, cache);
        x = middle.forward(x, cache);
        foreach (var layer in upsamples) x = layer.forward(x, cache);
        return head.forward(x, cache).MoveToOuterDisposeScope();
    }
}
