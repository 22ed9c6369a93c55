using static TorchSharp.torch;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// RMS norm over the whole projection (all heads together), as the reference's <c>norm_q</c>/<c>norm_k</c>.
/// The statistic is taken in fp32 and the result returned in the input's dtype, scaled by <c>weight</c>.
/// </summary>
public sealed class WanRmsNorm : nn.Module<Tensor, Tensor>
{
    readonly double eps;

#pragma warning disable IDE1006 // checkpoint key name
    readonly TorchSharp.Modules.Parameter weight;
#pragma warning restore IDE1006

    public WanRmsNorm(long dim, double eps) : base(nameof(WanRmsNorm))
    {
        this.eps = eps;
        weight = nn.Parameter(ones(dim, dtype: ScalarType.Float32), requires_grad: false);
        RegisterComponents();
    }

    // x: [..., C] → [..., C] (x's dtype)
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normed = (x32 * rsqrt(x32.pow(2).mean([-1], keepdim: true) + eps)).to(x.dtype);
        return (normed * weight.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
