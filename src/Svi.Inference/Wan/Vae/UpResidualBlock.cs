namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A Wan 2.2 decoder stage: <c>upsamples</c> (residual blocks, then a resample unless it is the last stage)
/// plus, when it upsamples, the parameter-free <see cref="DupUp3d"/> shortcut around the whole stage.
/// </summary>
public sealed class UpResidualBlock : VaeBlock
{
    readonly DupUp3d? shortcut;
    readonly TorchSharp.Modules.ModuleList<VaeBlock> upsamples;

    public UpResidualBlock(long inDim, long outDim, int residualBlocks, bool temporalUpsample, bool upsample)
        : base(nameof(UpResidualBlock))
    {
        shortcut = upsample ? new DupUp3d(inDim, outDim, temporalUpsample ? 2 : 1, 2) : null;
        upsamples = ResidualStage.Layers(inDim, outDim, residualBlocks,
            upsample ? temporalUpsample ? ResampleMode.Upsample3d : ResampleMode.Upsample2d : null);
        register_module("upsamples", upsamples);
    }

    // x: [B, Cin, T, h, w] → [B, Cout, T or 2T (T on the first chunk), 2h, 2w]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        // The first pass through a cache is the reference's first_chunk.
        bool firstChunk = cache is not null && !cache.TryGet(this, out _);
        cache?.Store(this, null);
        var y = ResidualStage.Forward(upsamples, x, cache);
        if (shortcut is not null) y = y.add(shortcut.forward(x, firstChunk));
        return y.MoveToOuterDisposeScope();
    }
}
