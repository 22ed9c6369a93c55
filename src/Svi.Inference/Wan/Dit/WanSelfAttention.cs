using static TorchSharp.torch;

namespace Svi.Inference.Wan.Dit;

/// <summary>Self-attention over all video tokens, with 3-D RoPE on q and k.</summary>
public sealed class WanSelfAttention(int dim, int heads, bool qkNorm, double eps, ScalarType computeType)
    : WanAttention(nameof(WanSelfAttention), dim, heads, qkNorm, eps, computeType)
{
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
        var attended = Attention(query, key, value);
        return o.forward(attended.view(b, l, heads * headDim)).MoveToOuterDisposeScope();
    }
}
