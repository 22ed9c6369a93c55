namespace Svi.Inference.Wan.Dit;

/// <summary>Self-attention over all video tokens, with 3-D RoPE on q and k.</summary>
public sealed class WanSelfAttention(int dim, int heads, bool qkNorm, double eps, ScalarType computeType)
    : WanAttention(nameof(WanSelfAttention), dim, heads, qkNorm, eps, computeType)
{
    // x: [B, L, C] (given up: freed once projected); grid (F, H, W) with L = F·H·W → [B, L, C] in the compute dtype
    public Tensor Forward(Tensor x, RotaryEmbedding3d rope, (long F, long H, long W) grid)
    {
        using var scope = NewDisposeScope();
        var input = x.to(computeType);
        var query = rope.Rotate(Project(q, norm_q, input), grid);
        var key = rope.Rotate(Project(k, norm_k, input), grid);
        var value = Project(v, null, input);
        input.Dispose();
        x.Dispose();
        return AttendAndProject(query, key, value).MoveToOuterDisposeScope();
    }
}
