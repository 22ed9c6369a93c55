using TorchSharp;
using static TorchSharp.torch;
using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Self-attention over all video tokens: q/k/v/o projections, RMS-normed q and k (across heads), 3-D RoPE on
/// q and k, exact softmax attention through <c>scaled_dot_product_attention</c>.
/// </summary>
public sealed class WanSelfAttention : nn.Module
{
    readonly int heads;
    readonly int headDim;
    readonly ScalarType computeType;

#pragma warning disable IDE1006 // checkpoint key names
    readonly Linear q, k, v, o;
    readonly nn.Module<Tensor, Tensor>? norm_q, norm_k;
#pragma warning restore IDE1006

    public WanSelfAttention(int dim, int heads, bool qkNorm, double eps, ScalarType computeType) : base(nameof(WanSelfAttention))
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

    // x: [B, L, C] (any float dtype); grid (F, H, W) with L = F·H·W → [B, L, C] in the compute dtype
    public Tensor Forward(Tensor x, RotaryEmbedding3d rope, (long F, long H, long W) grid)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1];
        var input = x.to(computeType);
        var query = Normed(norm_q, q.forward(input)).view(b, l, heads, headDim);
        var key = Normed(norm_k, k.forward(input)).view(b, l, heads, headDim);
        var value = v.forward(input).view(b, l, heads, headDim);
        query = rope.Apply(query, grid.F, grid.H, grid.W);
        key = rope.Apply(key, grid.F, grid.H, grid.W);
        var attended = Attention(query, key, value, computeType);
        return o.forward(attended.view(b, l, heads * headDim)).MoveToOuterDisposeScope();
    }

    internal static Tensor Normed(nn.Module<Tensor, Tensor>? norm, Tensor x) => norm is null ? x : norm.forward(x);

    // q: [B, Lq, heads, d], k/v: [B, Lk, heads, d] → [B, Lq, heads, d] in the compute dtype
    internal static Tensor Attention(Tensor query, Tensor key, Tensor value, ScalarType computeType)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.scaled_dot_product_attention(
            query.to(computeType).transpose(1, 2), key.to(computeType).transpose(1, 2), value.to(computeType).transpose(1, 2));
        return result.transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }
}
