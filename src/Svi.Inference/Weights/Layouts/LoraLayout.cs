using Svi.Inference.Wan;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Weights.Layouts;

/// <summary>
/// Checks a LoRA's header against the Wan A14B DiT with the loader's own parser and matching rule
/// (<see cref="LoraKeys"/>, <see cref="LoraFit"/>), so <c>models verify</c> passes exactly the files the loader
/// reads: updates for modules the model lacks are tolerated, the file fails when fewer than half of its updates fit.
/// With <see cref="RequireAllBlockLinears"/> (the SVI 2.0 Pro LoRAs) all 400 block linears must have a pair of one rank.
/// </summary>
public sealed class LoraLayout(string name, WanConfig dit, bool requireAllBlockLinears)
{
    public string Name { get; } = name;
    public bool RequireAllBlockLinears { get; } = requireAllBlockLinears;

    /// <summary>The DiT's linears and parameters by name and shape, as <see cref="LoraFit"/> matches them.</summary>
    public static LoraTargets Targets(string modelName, WanConfig dit) => new(modelName,
        WanDitLayout.Linears(dit).ToDictionary(l => l.Module, l => (l.Out, l.In), StringComparer.Ordinal),
        WanDitLayout.Tensors(dit));

    public IReadOnlyList<string> Check(IReadOnlyDictionary<string, SafetensorsEntry> entries, string weightDType)
    {
        var problems = new List<string>();
        foreach (var (key, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (!TensorLayout.DTypeAllowed(entry, weightDType) && entry.DType is not ("BF16" or "F16" or "F32"))
                problems.Add($"{key} has dtype {entry.DType}");
        var keys = LoraKeys.Parse(entries.Select(e => (e.Key, e.Value.Shape)));
        problems.AddRange(keys.Problems.Take(10));
        var fit = LoraFit.Match(Name, keys, Targets("the Wan A14B transformer", dit));
        if (fit.TooFewMatch) problems.Add(fit.Failure());
        if (RequireAllBlockLinears)
        {
            var ranks = fit.Pairs.Select(p => p.Pair.Rank).Distinct().Order().ToList();
            if (ranks.Count > 1) problems.Add($"mixed ranks {string.Join(", ", ranks)}");
            var covered = fit.Pairs.Select(p => p.Layer).ToHashSet(StringComparer.Ordinal);
            var missing = Enumerable.Range(0, dit.NumLayers)
                .SelectMany(i => WanDitLayout.BlockLinears(dit).Select(l => $"blocks.{i}.{l.Module}"))
                .Where(m => !covered.Contains(m)).ToList();
            if (missing.Count > 0)
                problems.Add($"{missing.Count} of {dit.NumLayers * 10} block linears have no LoRA pair, e.g. {string.Join(", ", missing.Take(5))}");
        }
        return problems;
    }
}
