namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A Wan 2.2 encoder stage: <c>downsamples</c> (residual blocks, then a resample unless it is the last stage)
/// plus the parameter-free <see cref="AvgDown3d"/> shortcut around the whole stage.
/// </summary>
public sealed class DownResidualBlock : VaeBlock
{
    readonly AvgDown3d shortcut;
    readonly TorchSharp.Modules.ModuleList<VaeBlock> downsamples;

    public DownResidualBlock(long inDim, long outDim, int residualBlocks, bool temporalDownsample, bool downsample)
        : base(nameof(DownResidualBlock))
    {
        shortcut = new AvgDown3d(inDim, outDim, temporalDownsample ? 2 : 1, downsample ? 2 : 1);
        downsamples = ResidualStage.Layers(inDim, outDim, residualBlocks,
            downsample ? temporalDownsample ? ResampleMode.Downsample3d : ResampleMode.Downsample2d : null);
        register_module("downsamples", downsamples);
    }

    // x: [B, Cin, T, H, W] → [B, Cout, T', H', W']
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        return ResidualStage.Forward(downsamples, x, cache).add(shortcut.forward(x)).MoveToOuterDisposeScope();
    }
}
