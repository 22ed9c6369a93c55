using static TorchSharp.torch;
using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// What Wan's self- and cross-attention share: q/k/v/o projections, optional RMS norms on q and k (across heads),
/// and exact softmax attention through <c>scaled_dot_product_attention</c>. Field names are the checkpoint's keys.
/// </summary>
public abstract class WanAttention : nn.Module
{
    protected readonly int heads;
    protected readonly int headDim;
    protected readonly ScalarType computeType;

#pragma warning disable IDE1006 // checkpoint key names
    protected readonly Linear q, k, v, o;
    protected readonly nn.Module<Tensor, Tensor>? norm_q, norm_k;
#pragma warning restore IDE1006

    protected WanAttention(string name, int dim, int heads, bool qkNorm, double eps, ScalarType computeType) : base(name)
    {
        this.heads = heads;
        headDim = dim / heads;
        this.computeType = computeType;
        q = new Linear(dim, dim, dtype: computeType);
        k = new Linear(dim, dim, dtype: computeType);
        v = new Linear(dim, dim, dtype: computeType);
        o = new Linear(dim, dim, dtype: computeType);
        if (qkNorm)
        {
            norm_q = new WanRmsNorm(dim, eps);
            norm_k = new WanRmsNorm(dim, eps);
        }
        RegisterComponents();
    }

    protected static Tensor Normed(nn.Module<Tensor, Tensor>? norm, Tensor x) => norm is null ? x : norm.forward(x);

    // q: [B, Lq, heads, d], k/v: [B, Lk, heads, d] → [B, Lq, heads, d] in the compute dtype
    protected Tensor Attention(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.scaled_dot_product_attention(
            query.to(computeType).transpose(1, 2), key.to(computeType).transpose(1, 2), value.to(computeType).transpose(1, 2));
        return result.transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }
}
