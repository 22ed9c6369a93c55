namespace Svi.Inference.Wan.Vae;

/// <summary>The bottleneck of encoder and decoder: <c>middle.0</c> residual, <c>middle.1</c> attention, <c>middle.2</c> residual.</summary>
public sealed class VaeMiddle : VaeBlock
{
    readonly TorchSharp.Modules.ModuleList<VaeBlock> layers;

    public VaeMiddle(long dim) : base("middle")
    {
        layers = new TorchSharp.Modules.ModuleList<VaeBlock>(
            new ResidualBlock(dim, dim), new AttentionBlock(dim), new ResidualBlock(dim, dim));
        for (int i = 0; i < layers.Count; i++) register_module($"{i}", layers[i]);
    }

    // x: [B, C, T, h, w] → same
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in layers) x = layer.forward(x, cache);
        return x.MoveToOuterDisposeScope();
    }
}
