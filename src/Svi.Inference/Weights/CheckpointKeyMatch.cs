namespace Svi.Inference.Weights;

/// <summary>
/// Where a checkpoint's keys land among a module's parameter names under one key layout. The loader places weights
/// by it and <c>models verify</c> checks a file's header by it, so the two cannot disagree about a file.
/// </summary>
/// <param name="ByModuleKey">module key → the checkpoint key that fills it</param>
/// <param name="Unexpected">checkpoint keys that fill nothing and are neither foreign nor FP8 companions</param>
/// <param name="Missing">module keys no checkpoint key fills</param>
public sealed record CheckpointKeyMatch(
    IReadOnlyDictionary<string, string> ByModuleKey, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Missing)
{
    /// <param name="ignoreForeignKeys">keys outside the layout (mapped to no module key) are skipped, not unexpected</param>
    public static CheckpointKeyMatch Of(IEnumerable<string> checkpointKeys, IReadOnlyCollection<string> moduleKeys,
        KeyLayout layout, bool ignoreForeignKeys)
    {
        var known = moduleKeys as IReadOnlySet<string> ?? moduleKeys.ToHashSet(StringComparer.Ordinal);
        var byModuleKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var key in checkpointKeys.Order(StringComparer.Ordinal))
        {
            var moduleKey = layout.ToModuleKey(key);
            if (moduleKey is not null && known.Contains(moduleKey)) byModuleKey[moduleKey] = key;
            else if (moduleKey is null && (ignoreForeignKeys || layout.Ignores?.Invoke(key) == true)) continue;
            else if (!Fp8ScaledConvention.IsCompanion(moduleKey ?? key)) unexpected.Add(key);
        }
        var missing = moduleKeys.Where(k => !byModuleKey.ContainsKey(k)).ToList();
        return new(byModuleKey, unexpected, missing);
    }
}
