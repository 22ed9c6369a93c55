namespace Svi.Inference.Runtime;

/// <summary>
/// Installed weight files by role: absolute paths (a sharded checkpoint lists its shards or its index json).
/// A role that is absent is not installed.
/// </summary>
/// <param name="Footprint">the weights' bytes when they are not files to measure (random weights); null: read from the files</param>
/// <param name="Embedded">
/// paths that stand for a tensor inside the file rather than the whole file (the model manifest's <c>tensor</c>: the
/// tokenizer that a Comfy-Org text encoder carries), with that tensor's name
/// </param>
public sealed record ModelFiles(string Variant, IReadOnlyDictionary<ModelRole, IReadOnlyList<string>> Files, WeightFootprint? Footprint = null,
    IReadOnlyDictionary<string, string>? Embedded = null)
{
    public bool Has(ModelRole role) => Files.TryGetValue(role, out var paths) && paths.Count > 0;
    public IReadOnlyList<string> Get(ModelRole role) => Files.TryGetValue(role, out var paths) ? paths : [];

    /// <summary>The tensor <paramref name="path"/> stands for (see <see cref="Embedded"/>); null when it is a file of its own.</summary>
    public string? TensorIn(string path) => Embedded?.GetValueOrDefault(path);

    /// <summary>These files restricted to <paramref name="roles"/>: what one generation loads.</summary>
    public ModelFiles Only(IReadOnlySet<ModelRole> roles) =>
        this with { Files = Files.Where(kv => roles.Contains(kv.Key)).ToDictionary() };
}
