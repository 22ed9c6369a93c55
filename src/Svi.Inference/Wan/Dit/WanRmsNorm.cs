using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// RMS norm over the whole projection (all heads together), as the reference's <c>norm_q</c>/<c>norm_k</c>.
/// The statistic is taken in fp32 and the result returned in the input's dtype, scaled by <c>weight</c>.
/// </summary>
public sealed class WanRmsNorm : nn.Module<Tensor, Tensor>
{
    readonly double eps;
    readonly long dim;

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly TorchSharp.Modules.Parameter weight;

    public WanRmsNorm(long dim, double eps) : base(nameof(WanRmsNorm))
    {
        this.eps = eps;
        this.dim = dim;
        weight = nn.Parameter(ones(dim, dtype: ScalarType.Float32), requires_grad: false);
        RegisterComponents();
    }

    // x: [..., C] → [..., C] (x's dtype)
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        // 1/√(mean(x²) + eps) from the L2 norm: one read of x and no full-size x² temporary
        var inverse = linalg.vector_norm(x32, 2, [-1], keepdim: true).pow_(2).div_(dim).add_(eps).rsqrt_();
        var normed = x32 * inverse;
        ActivationProbe.Mark();
        if (!ReferenceEquals(x32, x)) x32.Dispose();
        // The reference rounds to the input's dtype before the weight multiplies.
        if (normed.dtype != x.dtype)
        {
            var rounded = normed.to(x.dtype);
            normed.Dispose();
            normed = rounded;
        }
        normed.mul_(weight.dtype == x.dtype ? weight : weight.to(x.dtype));
        return normed.MoveToOuterDisposeScope();
    }
}
