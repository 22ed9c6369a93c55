namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The causal state a Wan VAE carries from one temporal chunk to the next: for every causal convolution the
/// last two input frames it saw, and for the resampling layers whether they have seen their first chunk.
/// One cache per independent pass (per video, per spatial tile); tensors held here live outside every
/// DisposeScope and are freed when replaced, on <see cref="Clear"/> and on <see cref="Dispose"/>.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    readonly Dictionary<object, Tensor?> entries = new(ReferenceEqualityComparer.Instance);

    /// <summary>True before the first chunk has gone through (the reference's first_chunk).</summary>
    public bool IsEmpty => entries.Count == 0;

    /// <summary>Bytes held by cached frames.</summary>
    public long Bytes => entries.Values.Sum(t => t is null ? 0 : t.NumberOfElements * t.ElementSize);

    /// <summary>Whether <paramref name="owner"/> has stored anything yet; <paramref name="frames"/> is what it stored (may be null).</summary>
    public bool TryGet(object owner, out Tensor? frames) => entries.TryGetValue(owner, out frames);

    /// <summary>Replaces what <paramref name="owner"/> holds; null records "seen" without frames.</summary>
    public void Store(object owner, Tensor? frames)
    {
        if (entries.TryGetValue(owner, out var previous) && previous is not null && !ReferenceEquals(previous, frames))
            previous.Dispose();
        entries[owner] = frames?.DetachFromDisposeScope();
    }

    /// <summary>Forgets every chunk seen so far, so the next pass starts a new video.</summary>
    public void Clear()
    {
        foreach (var tensor in entries.Values) tensor?.Dispose();
        entries.Clear();
    }

    public void Dispose() => Clear();
}
