using static TorchSharp.torch;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A Wan 2.2 encoder stage: <c>downsamples</c> (residual blocks, then a resample unless it is the last stage)
/// plus the parameter-free <see cref="AvgDown3d"/> shortcut around the whole stage.
/// </summary>
public sealed class DownResidualBlock : nn.Module<Tensor, FeatureCache?, Tensor>
{
    readonly AvgDown3d shortcut;
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>> downsamples;

    // Children are registered by hand under their checkpoint names; the typed fields are shortcuts to them.
    protected override void RegisterComponents() { }

    public DownResidualBlock(long inDim, long outDim, int residualBlocks, bool temporalDownsample, bool downsample)
        : base(nameof(DownResidualBlock))
    {
        shortcut = new AvgDown3d(inDim, outDim, temporalDownsample ? 2 : 1, downsample ? 2 : 1);
        downsamples = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>>();
        for (int r = 0; r < residualBlocks; r++)
        {
            downsamples.Add(new ResidualBlock(inDim, outDim));
            inDim = outDim;
        }
        if (downsample)
            downsamples.Add(new Resample(outDim, temporalDownsample ? ResampleMode.Downsample3d : ResampleMode.Downsample2d));
        register_module("downsamples", downsamples);
    }

    // x: [B, Cin, T, H, W] → [B, Cout, T', H', W']
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var layer in downsamples) y = layer.forward(y, cache);
        y = y.add(shortcut.forward(x));
        return y.MoveToOuterDisposeScope();
    }
}
