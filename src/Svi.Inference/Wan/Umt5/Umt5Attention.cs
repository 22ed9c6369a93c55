using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// T5 self-attention: no bias on the projections and no 1/√d scaling of the logits (T5 folds it into the weights);
/// the relative position bias and the padding mask are added to the logits, and the softmax runs in float32.
/// </summary>
public sealed class Umt5Attention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly int numHeads;
    readonly int headDim;

    public Umt5Attention(Umt5Config config, ScalarType dtype) : base(nameof(Umt5Attention))
    {
        numHeads = config.NumHeads;
        headDim = config.HeadDim;
        q = new Linear(config.Dim, config.DimAttn, hasBias: false, dtype: dtype);
        k = new Linear(config.Dim, config.DimAttn, hasBias: false, dtype: dtype);
        v = new Linear(config.Dim, config.DimAttn, hasBias: false, dtype: dtype);
        o = new Linear(config.DimAttn, config.Dim, hasBias: false, dtype: dtype);
        RegisterComponents();
    }

    readonly Linear q, k, v, o;

    // x: [B, L, dim], positionBias: [1, heads, L, L], keyMask: [B, L] (nonzero = token) → [B, L, dim]
    public override Tensor forward(Tensor x, Tensor positionBias, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        var queries = q.forward(x).view(batch, length, numHeads, headDim).transpose(1, 2);
        var keys = k.forward(x).view(batch, length, numHeads, headDim).transpose(1, 2);
        var values = v.forward(x).view(batch, length, numHeads, headDim).transpose(1, 2);

        // The mask sets the bias to the dtype's lowest value (not −∞), as the reference does: a fully padded row
        // then still gets a uniform softmax instead of NaN.
        var bias = positionBias.to(x.dtype).expand(batch, numHeads, length, length)
            .masked_fill(keyMask.view(batch, 1, 1, length).eq(0), LowestValue(x.dtype));
        var logits = queries.matmul(keys.transpose(-2, -1)) + bias;
        var weights = nn.functional.softmax(logits.to(ScalarType.Float32), dim: -1).to(x.dtype);
        var attended = weights.matmul(values).transpose(1, 2).reshape(batch, length, numHeads * headDim);
        return o.forward(attended).MoveToOuterDisposeScope();
    }

    static double LowestValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        _ => throw new NotSupportedException($"attention in {dtype}"),
    };
}
