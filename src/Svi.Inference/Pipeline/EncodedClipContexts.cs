using Svi.Inference.Text;

namespace Svi.Inference.Pipeline;

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
