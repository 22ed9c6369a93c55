using System.Text.RegularExpressions;

namespace Svi.Inference.Weights;

/// <summary>
/// How a LoRA file's updates land on a model. A pair fits a linear layer the model has with matching features, a
/// diff fits a parameter of the same shape; anything else is skipped, as LightX2V's loader and ComfyUI skip keys
/// whose module the model lacks (a Wan 2.1 I2V distill LoRA names <c>cross_attn.k_img</c>, <c>v_img</c>,
/// <c>norm_k_img</c> and <c>img_emb.*</c>, which Wan 2.2 I2V-A14B does not have). A file fits when at least half of
/// its updates land: fewer means it was made for another model.
/// </summary>
public sealed partial record LoraFit(
    string File,
    LoraTargets Model,
    int Updates,
    IReadOnlyList<(LoraPairKeys Pair, string Layer)> Pairs,
    IReadOnlyList<(LoraDiffKeys Diff, string Parameter)> Diffs,
    IReadOnlyList<string> SkippedKeys,
    IReadOnlyList<string> Misfits)
{
    public int Matched => Pairs.Count + Diffs.Count;

    /// <summary>Fewer than half of the updates (low-rank pairs and full diffs) land on the model, or the file has none.</summary>
    public bool TooFewMatch => Updates == 0 || Matched * 2 < Updates;

    public static LoraFit Match(string file, LoraKeySet keys, LoraTargets model)
    {
        var linearNames = new LoraTargetNames(model.Linears.Keys);
        var parameterNames = new LoraTargetNames(model.Parameters.Keys);
        var pairs = new List<(LoraPairKeys, string)>();
        var diffs = new List<(LoraDiffKeys, string)>();
        var skipped = new List<string>();
        var misfits = new List<string>();
        foreach (var pair in keys.Pairs)
        {
            if (linearNames.Resolve(pair.Target) is not { } layer)
            {
                skipped.AddRange(new[] { pair.DownKey, pair.UpKey, pair.AlphaKey }.OfType<string>());
                continue;
            }
            var (outFeatures, inFeatures) = model.Linears[layer];
            if (pair.DownShape[1] != inFeatures || pair.UpShape[0] != outFeatures)
            {
                misfits.Add($"'{pair.DownKey}' gives a [{pair.UpShape[0]}, {pair.DownShape[1]}] update for '{layer}', whose weight is [{outFeatures}, {inFeatures}]");
                continue;
            }
            pairs.Add((pair, layer));
        }
        foreach (var diff in keys.Diffs)
        {
            var parameter = diff.ParameterCandidates().Select(parameterNames.Resolve).FirstOrDefault(p => p is not null);
            if (parameter is null) { skipped.Add(diff.Key); continue; }
            var shape = model.Parameters[parameter];
            if (!diff.Shape.SequenceEqual(shape))
            {
                misfits.Add($"'{diff.Key}' [{string.Join(',', diff.Shape)}] cannot be added to '{parameter}' [{string.Join(',', shape)}]");
                continue;
            }
            diffs.Add((diff, parameter));
        }
        return new LoraFit(file, model, keys.Updates, pairs, diffs, skipped, misfits);
    }

    /// <summary>One line naming what was skipped, block indices folded (<c>blocks.N.cross_attn.k_img.lora_down.weight ×40</c>); null when nothing was.</summary>
    public string? SkippedSummary()
    {
        if (SkippedKeys.Count == 0 && Misfits.Count == 0) return null;
        var parts = new List<string>();
        if (SkippedKeys.Count > 0)
            parts.Add($"{SkippedKeys.Count} keys for modules {Model.ModelName} lacks: " + string.Join(", ",
                SkippedKeys.GroupBy(k => BlockIndex().Replace(k, ".N.")).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key)));
        if (Misfits.Count > 0)
            parts.Add($"{Misfits.Count} updates whose shape does not fit: {string.Join("; ", Misfits.Take(5))}"
                + (Misfits.Count > 5 ? $"; … and {Misfits.Count - 5} more" : ""));
        return string.Join("; ", parts);
    }

    /// <summary>Why the file does not fit, naming it: how many updates landed and examples of those that did not.</summary>
    public string Failure() => Updates == 0
        ? $"{File} holds no LoRA update at all"
        : $"{File} is not a LoRA for {Model.ModelName}: only {Matched} of its {Updates} updates (low-rank pairs and full diffs) "
          + $"fit the model, at least half must; {SkippedSummary()}";

    [GeneratedRegex(@"\.\d+\.", RegexOptions.CultureInvariant)]
    private static partial Regex BlockIndex();
}
