using TorchSharp.Modules;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The layers of one Wan 2.2 VAE stage, the same for the encoder's <see cref="DownResidualBlock"/> and the decoder's
/// <see cref="UpResidualBlock"/>: residual blocks from the stage's input width to its output width, then its resample
/// if it has one.
/// </summary>
static class ResidualStage
{
    public static ModuleList<VaeBlock> Layers(long inDim, long outDim, int residualBlocks,
        ResampleMode? resample)
    {
        var layers = new ModuleList<VaeBlock>();
        for (int r = 0; r < residualBlocks; r++)
        {
            layers.Add(new ResidualBlock(inDim, outDim));
            inDim = outDim;
        }
        if (resample is { } mode) layers.Add(new Resample(outDim, mode));
        return layers;
    }

    // x: [B, Cin, T, H, W] → the last layer's output
    public static Tensor Forward(ModuleList<VaeBlock> layers, Tensor x, FeatureCache? cache)
    {
        foreach (var layer in layers) x = layer.forward(x, cache);
        return x;
    }
}
