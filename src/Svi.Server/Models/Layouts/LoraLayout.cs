using System.Text.RegularExpressions;
using Svi.Inference.Wan;
using Svi.Inference.Weights.Layouts;
using Svi.Kernels.Safetensors;

namespace Svi.Server.Models.Layouts;

/// <summary>
/// Checks a LoRA against the Wan A14B DiT: every low-rank pair must target a linear layer of the model with matching
/// features (A/down: [r, in], B/up: [out, r]), one rank throughout. Accepts the key styles the loaders accept
/// (PEFT lora_A/lora_B with an optional adapter name, lora_down/lora_up, .alpha, .diff/.diff_b full deltas,
/// a leading diffusion_model.). With <see cref="RequireAllBlockLinears"/> (SVI) all 400 block linears must be present.
/// </summary>
public sealed partial class LoraLayout(string name, WanConfig dit, bool requireAllBlockLinears, int? expectedRank = null)
{
    public string Name { get; } = name;
    public bool RequireAllBlockLinears { get; } = requireAllBlockLinears;

    [GeneratedRegex(@"^(?<module>.+?)\.(?<part>lora_A|lora_B|lora_down|lora_up)(\.[A-Za-z0-9_]+)?\.weight$")]
    private static partial Regex PairKey();

    public IReadOnlyList<string> Check(IReadOnlyDictionary<string, SafetensorsEntry> entries, string weightDType)
    {
        entries = TensorLayout.StripForeignPrefix(entries);
        var linears = WanDitLayout.Linears(dit).ToDictionary(l => l.Module, l => (l.Out, l.In), StringComparer.Ordinal);
        var dense = WanDitLayout.Tensors(dit);
        var problems = new List<string>();
        var downs = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var ups = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (key, entry) in entries)
        {
            if (!TensorLayout.DTypeAllowed(entry, weightDType) && entry.DType is not ("BF16" or "F16" or "F32"))
                problems.Add($"{key} has dtype {entry.DType}");
            var m = PairKey().Match(key);
            if (m.Success)
            {
                string module = m.Groups["module"].Value;
                if (!linears.ContainsKey(module)) { unknown.Add(key); continue; }
                (m.Groups["part"].Value is "lora_A" or "lora_down" ? downs : ups)[module] = entry.Shape;
            }
            else if (key.EndsWith(".alpha", StringComparison.Ordinal))
            {
                if (!linears.ContainsKey(key[..^".alpha".Length])) unknown.Add(key);
            }
            else if (key.EndsWith(".diff_b", StringComparison.Ordinal) || key.EndsWith(".diff", StringComparison.Ordinal))
            {
                string target = key.EndsWith(".diff_b", StringComparison.Ordinal) ? key[..^".diff_b".Length] + ".bias" : key[..^".diff".Length] + ".weight";
                if (!dense.TryGetValue(target, out var shape)) unknown.Add(key);
                else if (!entry.Shape.SequenceEqual(shape))
                    problems.Add($"{key} is [{string.Join(", ", entry.Shape)}], {target} is [{string.Join(", ", shape)}]");
            }
            else unknown.Add(key);
        }
        if (unknown.Count > 0)
            problems.Add($"{unknown.Count} keys target nothing in the Wan A14B transformer, e.g. {string.Join(", ", unknown.Order().Take(5))}");

        var ranks = new HashSet<long>();
        foreach (var module in downs.Keys.Union(ups.Keys).Order(StringComparer.Ordinal))
        {
            if (!downs.TryGetValue(module, out var a) || !ups.TryGetValue(module, out var b))
            {
                problems.Add($"{module} has only one half of its low-rank pair");
                continue;
            }
            var (outF, inF) = linears[module];
            if (a.Length != 2 || b.Length != 2 || a[1] != inF || b[0] != outF || a[0] != b[1])
            {
                problems.Add($"{module}: A [{string.Join(", ", a)}] and B [{string.Join(", ", b)}] do not fit a {outF}×{inF} layer");
                continue;
            }
            ranks.Add(a[0]);
        }
        if (ranks.Count > 1) problems.Add($"mixed ranks {string.Join(", ", ranks.Order())}");
        if (expectedRank is { } r && ranks.Count == 1 && !ranks.Contains(r)) problems.Add($"rank {ranks.Single()}, expected {r}");
        if (downs.Count == 0 && !entries.Keys.Any(k => k.EndsWith(".diff", StringComparison.Ordinal)))
            problems.Add("no LoRA tensors at all");
        if (RequireAllBlockLinears)
        {
            var missing = Enumerable.Range(0, dit.NumLayers)
                .SelectMany(i => WanDitLayout.BlockLinears(dit).Select(l => $"blocks.{i}.{l.Module}"))
                .Where(m => !downs.ContainsKey(m)).ToList();
            if (missing.Count > 0)
                problems.Add($"{missing.Count} of {dit.NumLayers * 10} block linears have no LoRA pair, e.g. {string.Join(", ", missing.Take(5))}");
        }
        return problems;
    }
}
