namespace Svi.Inference.Wan.Vae;

/// <summary>
/// norm → SiLU → causal conv → norm → SiLU → (dropout) → causal conv, plus a 1×1×1 shortcut when the channel
/// count changes. Checkpoint layout: <c>residual.{0,3}.gamma</c>, <c>residual.{2,6}.weight|bias</c>,
/// <c>shortcut.weight|bias</c>.
/// </summary>
public sealed class ResidualBlock : VaeBlock
{
    readonly VaeRmsNorm norm1;
    readonly CausalConv3d conv1;
    readonly VaeRmsNorm norm2;
    readonly CausalConv3d conv2;
    readonly CausalConv3d? shortcut;

    public ResidualBlock(long inDim, long outDim) : base(nameof(ResidualBlock))
    {
        norm1 = new VaeRmsNorm(inDim, images: false);
        conv1 = new CausalConv3d(inDim, outDim, 3, padding: 1);
        norm2 = new VaeRmsNorm(outDim, images: false);
        conv2 = new CausalConv3d(outDim, outDim, 3, padding: 1);
        // Index positions 1, 4 and 5 are the reference's SiLU, SiLU and Dropout: no parameters, kept so the
        // convolutions keep their checkpoint indices.
        register_module("residual", new TorchSharp.Modules.ModuleList<nn.Module>(
            norm1, nn.SiLU(), conv1, norm2, nn.SiLU(), nn.Identity(), conv2));
        if (inDim != outDim)
        {
            shortcut = new CausalConv3d(inDim, outDim, 1);
            register_module("shortcut", shortcut);
        }
    }

    // x: [B, Cin, T, H, W] → [B, Cout, T, H, W]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = shortcut is null ? x : shortcut.forward(x, null);
        // Intermediates are released as soon as the next one exists: at 720p each is > 1 GB.
        var a = norm1.ForwardSilu(x);
        var b = conv1.forward(a, cache);
        a.Dispose();
        var c = norm2.ForwardSilu(b);
        b.Dispose();
        var y = conv2.forward(c, cache);
        c.Dispose();
        y.add_(h);
        return y.MoveToOuterDisposeScope();
    }
}
