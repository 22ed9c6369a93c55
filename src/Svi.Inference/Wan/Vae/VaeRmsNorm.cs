namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The VAE's RMS norm over the channel axis: x / ‖x‖₂ · √C · γ (an L2 normalisation, so no epsilon under the
/// root). γ is [C, 1, 1, 1] for video tensors and [C, 1, 1] for the attention block's per-frame images.
/// </summary>
public sealed class VaeRmsNorm : nn.Module<Tensor, Tensor>
{
    // Parameters are registered by hand under their checkpoint names.
    protected override void RegisterComponents() { }

    // Held by the module: an implicit Scalar made per call can be finalised by the GC while libtorch still reads it
    // (seen as "Unknown scalar type" in mul_ under GC pressure).
    readonly TorchSharp.Scalar scale;

    // F.normalize's default: the smallest length divided by.
    const double NormalizeEpsilon = 1e-12;

#pragma warning disable IDE1006 // names are the checkpoint's key names
    public TorchSharp.Modules.Parameter gamma;
#pragma warning restore IDE1006

    public VaeRmsNorm(long channels, bool images) : base(nameof(VaeRmsNorm))
    {
        scale = (TorchSharp.Scalar)Math.Sqrt(channels);
        gamma = nn.Parameter(images ? ones(channels, 1, 1) : ones(channels, 1, 1, 1), requires_grad: false);
        register_parameter("gamma", gamma);
    }

    // x: [B, C, ...] → same
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // F.normalize(x, dim=1) spelled out: libtorch's strided norm over the channel axis is about ten times slower
        // on the CPU than squaring and summing (it dominates a narrow VAE's full-resolution blocks).
        var length = x.square().sum(1, keepdim: true).sqrt_().clamp_min_(NormalizeEpsilon);
        var y = x / length;
        y.mul_(scale).mul_(gamma);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>norm then SiLU, in place on the normalised copy to keep one full-size tensor alive.</summary>
    public Tensor ForwardSilu(Tensor x)
    {
        var y = forward(x);
        return nn.functional.silu(y, inplace: true);
    }
}
