namespace Svi.Inference.Wan.Umt5;

/// <summary>One pre-norm encoder block: x + attn(norm1(x)), then x + ffn(norm2(x)); owns its position bias (UMT5).</summary>
public sealed class Umt5Block : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    public Umt5Block(Umt5Config config, ScalarType dtype) : base(nameof(Umt5Block))
    {
        norm1 = new Umt5LayerNorm(config.Dim, config.Eps, dtype);
        attn = new Umt5Attention(config, dtype);
        norm2 = new Umt5LayerNorm(config.Dim, config.Eps, dtype);
        ffn = new Umt5FeedForward(config, dtype);
        pos_embedding = config.SharedPos ? null
            : new Umt5RelativePositionBias(config.NumBuckets, config.NumHeads, config.MaxDistance, dtype);
        RegisterComponents();
    }

    readonly Umt5LayerNorm norm1, norm2;
    readonly Umt5Attention attn;
    readonly Umt5FeedForward ffn;
    readonly Umt5RelativePositionBias? pos_embedding;

    // x: [B, L, dim], keyMask: [B, L], sharedBias: [1, heads, L, L] or null when the block owns its own → [B, L, dim]
    public override Tensor forward(Tensor x, Tensor keyMask, Tensor? sharedBias)
    {
        using var scope = NewDisposeScope();
        var bias = sharedBias ?? pos_embedding!.forward(x.shape[1]);
        x = ClampHalf(x + attn.forward(norm1.forward(x), bias, keyMask));
        x = ClampHalf(x + ffn.forward(norm2.forward(x)));
        return x.MoveToOuterDisposeScope();
    }

    // fp16 residuals of T5 overflow; the reference clamps them just inside the range (other dtypes pass through).
    static Tensor ClampHalf(Tensor x)
    {
        if (x.dtype != ScalarType.Float16 || !x.isinf().any().item<bool>()) return x;
        return x.clamp(-64504.0, 64504.0);
    }
}
