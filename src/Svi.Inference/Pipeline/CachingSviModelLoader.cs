using Serilog;
using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>
/// Keeps a worker's models loaded between jobs: a job that needs the same mode, LoRA strengths and weight files as the
/// previous one gets the loaded set again instead of reading 28 GB per expert from disk (the LoRAs are merged into the
/// experts' weights, so other strengths are other experts). The set a caller receives is a lease: its
/// Dispose frees nothing while the set is cached. A job of another mode (or other files) replaces the cached set, which
/// is freed as soon as no job still holds it — one set at a time, so memory never holds two modes' weights for long.
/// </summary>
public sealed class CachingSviModelLoader(ISviModelLoader inner) : ISviModelLoader, IDisposable
{
    static readonly ILogger Log = Serilog.Log.ForContext<CachingSviModelLoader>();
    readonly Lock gate = new();
    Entry? cached;

    public SviModelSet Load(ModelFiles files, SviModelChoice choice)
    {
        lock (gate)
        {
            if (cached is not null && cached.Choice == choice && SameFiles(cached.Files, files))
            {
                Log.Information("Reusing the loaded {Choice} models ({Variant})", choice.ToString(), files.Variant);
                return cached.Lease();
            }
            if (cached is not null)
            {
                if (cached.Choice with { Loras = choice.Loras } == choice && SameFiles(cached.Files, files))
                    Log.Information("Reloading the {Choice} models for other LoRA strengths: {Changes}", choice.ToString(),
                        LoraStrengths.Changes(cached.Choice.Loras, choice.Loras));
                else
                    Log.Information("Freeing the loaded {Choice} models for a {NewChoice} job", cached.Choice.ToString(), choice.ToString());
                cached.Evict();
                cached = null;
            }
            // The old set is gone (or still held by a running job) before the new one loads, so peak memory is one set.
            cached = new Entry(files, choice, inner.Load(files, choice));
            return cached.Lease();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            cached?.Evict();
            cached = null;
        }
    }

    static bool SameFiles(ModelFiles a, ModelFiles b) =>
        a.Variant == b.Variant && a.Files.Count == b.Files.Count
        && a.Files.All(kv => b.Files.TryGetValue(kv.Key, out var other) && kv.Value.SequenceEqual(other));

    /// <summary>A loaded set and how many jobs hold it; freed when evicted and the last holder lets go.</summary>
    sealed class Entry(ModelFiles files, SviModelChoice choice, SviModelSet set)
    {
        readonly Lock gate = new();
        int holders;
        bool evicted;

        public ModelFiles Files { get; } = files;
        public SviModelChoice Choice { get; } = choice;

        public SviModelSet Lease()
        {
            lock (gate) holders++;
            return new SviModelSet(set.Experts, set.Vae, set.TextEncoder, set.AnchorExperts, set.DType, set.Device,
                [new Release(this)]);
        }

        public void Evict()
        {
            lock (gate)
            {
                evicted = true;
                if (holders == 0) set.Dispose();
            }
        }

        void Return()
        {
            lock (gate)
            {
                holders--;
                if (evicted && holders == 0) set.Dispose();
            }
        }

        sealed class Release(Entry entry) : IDisposable
        {
            int released;
            public void Dispose()
            {
                if (Interlocked.Exchange(ref released, 1) == 0) entry.Return();
            }
        }
    }
}
