using static TorchSharp.torch;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Video tokens attending to the embedded text. No key mask: the zero rows that pad the prompt to
/// text_len take part, as in the reference.
/// </summary>
public sealed class WanCrossAttention(int dim, int heads, bool qkNorm, double eps, ScalarType computeType)
    : WanAttention(nameof(WanCrossAttention), dim, heads, qkNorm, eps, computeType)
{
    // x: [B, L, C]; context: [B, text_len, C] (embedded) → [B, L, C] in the compute dtype
    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        var input = x.to(computeType);
        var text = context.to(computeType);
        var query = Normed(norm_q, q.forward(input)).view(b, -1, heads, headDim);
        var key = Normed(norm_k, k.forward(text)).view(b, -1, heads, headDim);
        var value = v.forward(text).view(b, -1, heads, headDim);
        var attended = Attention(query, key, value);
        return o.forward(attended.view(b, -1, heads * headDim)).MoveToOuterDisposeScope();
    }
}
