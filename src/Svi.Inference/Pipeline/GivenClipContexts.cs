namespace Svi.Inference.Pipeline;

/// <summary>Contexts given as tensors ([text_len, text_dim] or with the batch axis); the last repeats.</summary>
public sealed class GivenClipContexts(IReadOnlyList<Tensor> positive, Tensor? negative) : IClipContexts
{
    public Tensor Positive(int clip) => Batched(positive[Math.Min(clip, positive.Count - 1)]);
    public Tensor Negative() => Batched(negative ?? throw new InvalidOperationException("cfg ≠ 1 needs a negative context"));

    static Tensor Batched(Tensor context) => context.dim() == 2 ? context.unsqueeze(0) : context.alias();
}
