using static TorchSharp.torch;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A Wan 2.2 decoder stage: <c>upsamples</c> (residual blocks, then a resample unless it is the last stage)
/// plus, when it upsamples, the parameter-free <see cref="DupUp3d"/> shortcut around the whole stage.
/// </summary>
public sealed class UpResidualBlock : nn.Module<Tensor, FeatureCache?, Tensor>
{
    readonly DupUp3d? shortcut;
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>> upsamples;

    // Children are registered by hand under their checkpoint names; the typed fields are shortcuts to them.
    protected override void RegisterComponents() { }

    public UpResidualBlock(long inDim, long outDim, int residualBlocks, bool temporalUpsample, bool upsample)
        : base(nameof(UpResidualBlock))
    {
        shortcut = upsample ? new DupUp3d(inDim, outDim, temporalUpsample ? 2 : 1, 2) : null;
        upsamples = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>>();
        for (int r = 0; r < residualBlocks; r++)
        {
            upsamples.Add(new ResidualBlock(inDim, outDim));
            inDim = outDim;
        }
        if (upsample)
            upsamples.Add(new Resample(outDim, temporalUpsample ? ResampleMode.Upsample3d : ResampleMode.Upsample2d));
        register_module("upsamples", upsamples);
    }

    // x: [B, Cin, T, h, w] → [B, Cout, T or 2T (T on the first chunk), 2h, 2w]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        // The first pass through a cache is the reference's first_chunk.
        bool firstChunk = cache is not null && !cache.TryGet(this, out _);
        cache?.Store(this, null);
        var y = x;
        foreach (var layer in upsamples) y = layer.forward(y, cache);
        if (shortcut is not null) y = y.add(shortcut.forward(x, firstChunk));
        return y.MoveToOuterDisposeScope();
    }
}
