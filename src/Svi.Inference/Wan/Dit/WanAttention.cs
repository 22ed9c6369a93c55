using Svi.Inference.Nn;
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

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    protected readonly Linear q, k, v, o;
    protected readonly nn.Module<Tensor, Tensor>? norm_q, norm_k;

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

    // x: [B, L, in] → [B, L, heads, d]: the projection, RMS-normed when the layer has a norm (the raw projection freed)
    protected Tensor Project(Linear projection, nn.Module<Tensor, Tensor>? norm, Tensor x)
    {
        var projected = projection.forward(x);
        if (norm is not null)
        {
            var normed = norm.forward(projected);
            projected.Dispose();
            projected = normed;
        }
        var heads4d = projected.view(x.shape[0], x.shape[1], heads, headDim);
        projected.Dispose(); // the view keeps the storage: one handle left for the caller to free
        return heads4d;
    }

    // q: [B, Lq, heads, d], k/v: [B, Lk, heads, d] (compute dtype, given up: freed once attended) → [B, Lq, heads·d]
    // through o
    protected Tensor AttendAndProject(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        long b = query.shape[0], l = query.shape[1];
        var inputs = new[] { query, key, value, query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2) };
        var attended = nn.functional.scaled_dot_product_attention(inputs[3], inputs[4], inputs[5]);
        ActivationProbe.Mark();
        // every handle on the inputs' storage, so the storage itself goes
        foreach (var input in inputs) input.Dispose();
        // [B, heads, Lq, d] → [B, Lq, heads·d]
        var merged = attended.transpose(1, 2).reshape(b, l, heads * headDim);
        attended.Dispose();
        return o.forward(merged).MoveToOuterDisposeScope();
    }
}
