using Svi.Kernels.Safetensors;

namespace Svi.Inference.Weights.Layouts;

/// <summary>
/// The tensors a checkpoint must hold, under our modules' parameter names: name → shape, and the key layouts a file of
/// this kind may use. A safetensors header is checked against it before any weight is read, with the loader's own key
/// matching (<see cref="KeyLayout.Detect"/>, <see cref="CheckpointKeyMatch"/>), so verify and load agree about a file.
/// </summary>
/// <param name="Tensors">module key → shape</param>
/// <param name="KeyLayouts">the key layouts the loader accepts for this model</param>
/// <param name="RejectUnknownKeys">keys that land on no tensor are a problem (false: the table names anchors only,
/// or the file may carry extras such as an embedded tokenizer)</param>
public sealed record TensorLayout(
    string Name, IReadOnlyDictionary<string, long[]> Tensors, IReadOnlyList<KeyLayout> KeyLayouts, bool RejectUnknownKeys)
{
    /// <summary>Prefixes a foreign format puts before our key names; stripped once, when every key has it.</summary>
    public static readonly string[] ForeignPrefixes = ["model.diffusion_model.", "diffusion_model."];

    const int MaxListed = 8;

    public static IReadOnlyDictionary<string, SafetensorsEntry> StripForeignPrefix(IReadOnlyDictionary<string, SafetensorsEntry> entries)
    {
        foreach (var prefix in ForeignPrefixes)
            if (entries.Count > 0 && entries.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal)))
                return entries.ToDictionary(e => e.Key[prefix.Length..], e => e.Value, StringComparer.Ordinal);
        return entries;
    }

    /// <summary>Every mismatch between <paramref name="entries"/> and this layout; empty when the file fits.</summary>
    /// <param name="weightDType">the variant's storage type (bf16, fp16, fp8_e4m3fn_scaled), which bounds the dtypes allowed</param>
    public IReadOnlyList<string> Check(IReadOnlyDictionary<string, SafetensorsEntry> entries, string weightDType)
    {
        var moduleKeys = Tensors.Keys.ToHashSet(StringComparer.Ordinal);
        var layout = KeyLayout.Detect(entries.Keys, moduleKeys, KeyLayouts);
        var match = CheckpointKeyMatch.Of(entries.Keys, moduleKeys, layout, ignoreForeignKeys: !RejectUnknownKeys);
        var problems = new List<string>();
        var missing = match.Missing.Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            problems.Add($"{missing.Count} of {Tensors.Count} expected tensors are missing, e.g. {List(missing)}");
        var wrongShape = match.ByModuleKey
            .Where(m => !entries[m.Value].Shape.SequenceEqual(Tensors[m.Key]))
            .OrderBy(m => m.Value, StringComparer.Ordinal)
            .Select(m => $"{m.Value} is [{string.Join(", ", entries[m.Value].Shape)}], expected [{string.Join(", ", Tensors[m.Key])}]")
            .ToList();
        if (wrongShape.Count > 0) problems.Add($"{wrongShape.Count} tensors have the wrong shape: {List(wrongShape)}");
        if (RejectUnknownKeys && match.Unexpected.Count > 0)
            problems.Add($"{match.Unexpected.Count} tensors do not belong to {Name}, e.g. {List(match.Unexpected)}");
        var badType = entries.Where(e => !DTypeAllowed(e.Value, weightDType))
            .Select(e => $"{e.Key} ({e.Value.DType})").Order(StringComparer.Ordinal).ToList();
        if (badType.Count > 0) problems.Add($"{badType.Count} tensors have a dtype a {weightDType} file does not use: {List(badType)}");
        return problems;
    }

    /// <summary>
    /// FP8 appears only in FP8 variants and only in matrices (scalar markers aside); bf16 variants also accept float32
    /// storage (the official Wan shards are published in float32 and converted at load).
    /// </summary>
    public static bool DTypeAllowed(SafetensorsEntry entry, string weightDType) => entry.DType switch
    {
        "F8_E4M3" or "F8_E5M2" => weightDType.StartsWith("fp8", StringComparison.Ordinal),
        "F32" => true,
        "BF16" => weightDType is "bf16" || weightDType.StartsWith("fp8", StringComparison.Ordinal),
        "F16" => weightDType is "fp16" || weightDType.StartsWith("fp8", StringComparison.Ordinal),
        _ => false,
    };

    static string List(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(MaxListed)) + (items.Count > MaxListed ? $" (+{items.Count - MaxListed} more)" : "");
}
