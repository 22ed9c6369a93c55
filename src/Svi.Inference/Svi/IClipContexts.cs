using Svi.Inference.Text;
using static TorchSharp.torch;

namespace Svi.Inference.Svi;

/// <summary>Where the text contexts of every clip come from (a seam: conformance sets supply the reference's).</summary>
public interface IClipContexts
{
    // → [1, text_len, text_dim]
    Tensor Positive(int clip);
    // → [1, text_len, text_dim]; only asked for when cfg ≠ 1
    Tensor Negative();
}

/// <summary>Contexts from the text encoder: each distinct prompt is encoded once and kept for the whole run.</summary>
public sealed class EncodedClipContexts(ITextEncoder encoder, PromptSchedule prompts, string negativePrompt) : IClipContexts, IDisposable
{
    readonly Dictionary<string, Tensor> cache = new(StringComparer.Ordinal);

    public Tensor Positive(int clip) => Encoded(prompts.ForClip(clip));
    public Tensor Negative() => Encoded(negativePrompt);

    Tensor Encoded(string prompt)
    {
        if (cache.TryGetValue(prompt, out var context)) return context.alias();
        using (var scope = NewDisposeScope())
        {
            context = encoder.Encode(prompt);
            if (context.dim() == 2) context = context.unsqueeze(0);
            context = context.MoveToOuterDisposeScope();
        }
        context.DetachFromDisposeScope();
        cache[prompt] = context;
        return context.alias();
    }

    public void Dispose()
    {
        foreach (var context in cache.Values) context.Dispose();
        cache.Clear();
    }
}

/// <summary>Contexts given as tensors ([text_len, text_dim] or with the batch axis); the last repeats.</summary>
public sealed class GivenClipContexts(IReadOnlyList<Tensor> positive, Tensor? negative) : IClipContexts
{
    public Tensor Positive(int clip) => Batched(positive[Math.Min(clip, positive.Count - 1)]);
    public Tensor Negative() => Batched(negative ?? throw new InvalidOperationException("cfg ≠ 1 needs a negative context"));

    static Tensor Batched(Tensor context) => context.dim() == 2 ? context.unsqueeze(0) : context.alias();
}
