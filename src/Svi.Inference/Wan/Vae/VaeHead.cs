namespace Svi.Inference.Wan.Vae;

/// <summary>Output block of encoder and decoder: <c>head.0</c> norm, (SiLU), <c>head.2</c> causal conv.</summary>
public sealed class VaeHead : VaeBlock
{
    readonly VaeRmsNorm norm;
    readonly CausalConv3d conv;

    public VaeHead(long inDim, long outDim) : base("head")
    {
        norm = new VaeRmsNorm(inDim, images: false);
        conv = new CausalConv3d(inDim, outDim, 3, padding: 1);
        register_module("0", norm);
        register_module("2", conv);
    }

    // x: [B, Cin, T, H, W] → [B, Cout, T, H, W]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        var activated = norm.ForwardSilu(x);
        return conv.forward(activated, cache).MoveToOuterDisposeScope();
    }
}
