namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Layer norm computed in fp32 whatever the stream's dtype (the reference's <c>WanLayerNorm</c>). Only
/// <c>norm3</c> (before cross-attention) is affine; <c>norm1</c>, <c>norm2</c> and the head's norm carry no
/// parameters, so they add no checkpoint keys.
/// </summary>
public sealed class WanLayerNorm : nn.Module<Tensor, Tensor>
{
    readonly long dim;
    readonly double eps;

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly TorchSharp.Modules.Parameter? weight;
    readonly TorchSharp.Modules.Parameter? bias;

    public WanLayerNorm(long dim, double eps, bool elementwiseAffine = false) : base(nameof(WanLayerNorm))
    {
        this.dim = dim;
        this.eps = eps;
        if (elementwiseAffine)
        {
            weight = nn.Parameter(ones(dim, dtype: ScalarType.Float32), requires_grad: false);
            bias = nn.Parameter(zeros(dim, dtype: ScalarType.Float32), requires_grad: false);
        }
        RegisterComponents();
    }

    // x: [..., C] → [..., C] fp32
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var w = weight?.to(ScalarType.Float32);
        var b = bias?.to(ScalarType.Float32);
        return nn.functional.layer_norm(x.to(ScalarType.Float32), [dim], w, b, eps).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// norm(x)·(1 + scale) + shift, the DiT's modulation. When every token shares one scale and shift row they are the
    /// layer norm's own weight and bias, so the whole thing is one pass; otherwise the norm is scaled and shifted in place.
    /// </summary>
    // x: [B, L, C]; scale, shift: [C] (shared) or [B, Lt, C] → [B, L, C] fp32
    public Tensor Modulated(Tensor x, Tensor scale, Tensor shift)
    {
        if (weight is not null) throw new InvalidOperationException("an affine layer norm is not modulated");
        using var scope = NewDisposeScope();
        var input = x.to(ScalarType.Float32);
        if (scale.dim() == 1)
            return nn.functional.layer_norm(input, [dim], scale + 1, shift, eps).MoveToOuterDisposeScope();
        var normed = nn.functional.layer_norm(input, [dim], null, null, eps);
        return normed.mul_(scale + 1).add_(shift).MoveToOuterDisposeScope();
    }
}
