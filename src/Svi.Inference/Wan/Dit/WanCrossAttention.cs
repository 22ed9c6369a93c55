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
        var text = context.to(computeType);
        var query = Project(q, norm_q, x.to(computeType));
        var key = Project(k, norm_k, text);
        var value = Project(v, null, text);
        return AttendAndProject(query, key, value).MoveToOuterDisposeScope();
    }
}
