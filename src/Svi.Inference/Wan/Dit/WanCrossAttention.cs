using TorchSharp;
using static TorchSharp.torch;
using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Video tokens attending to the embedded text. No key mask: the zero rows that pad the prompt to
/// text_len take part, as in the reference.
/// </summary>
public sealed class WanCrossAttention : nn.Module
{
    readonly int heads;
    readonly int headDim;
    readonly ScalarType computeType;

#pragma warning disable IDE1006 // checkpoint key names
    readonly Linear q, k, v, o;
    readonly nn.Module<Tensor, Tensor>? norm_q, norm_k;
#pragma warning restore IDE1006

    public WanCrossAttention(int dim, int heads, bool qkNorm, double eps, ScalarType computeType) : base(nameof(WanCrossAttention))
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

    // x: [B, L, C]; context: [B, text_len, C] (embedded) → [B, L, C] in the compute dtype
    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        var input = x.to(computeType);
        var text = context.to(computeType);
        var query = WanSelfAttention.Normed(norm_q, q.forward(input)).view(b, -1, heads, headDim);
        var key = WanSelfAttention.Normed(norm_k, k.forward(text)).view(b, -1, heads, headDim);
        var value = v.forward(text).view(b, -1, heads, headDim);
        var attended = WanSelfAttention.Attention(query, key, value, computeType);
        return o.forward(attended.view(b, -1, heads * headDim)).MoveToOuterDisposeScope();
    }
}
