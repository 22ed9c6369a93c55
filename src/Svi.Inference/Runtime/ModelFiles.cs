namespace Svi.Inference.Runtime;

/// <summary>
/// Installed weight files by role: absolute paths (a sharded checkpoint lists its shards or its index json).
/// A role that is absent is not installed.
/// </summary>
/// <param name="Footprint">the weights' bytes when they are not files to measure (random weights); null: read from the files</param>
public sealed record ModelFiles(string Variant, IReadOnlyDictionary<ModelRole, IReadOnlyList<string>> Files, WeightFootprint? Footprint = null)
{
    public bool Has(ModelRole role) => Files.TryGetValue(role, out var paths) && paths.Count > 0;
    public IReadOnlyList<string> Get(ModelRole role) => Files.TryGetValue(role, out var paths) ? paths : [];

    /// <summary>These files restricted to <paramref name="roles"/>: what one generation loads.</summary>
    public ModelFiles Only(IReadOnlySet<ModelRole> roles) =>
        this with { Files = Files.Where(kv => roles.Contains(kv.Key)).ToDictionary() };
}
