using System.Text.RegularExpressions;

namespace Svi.Inference.Weights;

/// <summary>
/// The one parser of LoRA key names, shared by the loader (<see cref="LoraFile"/>) and <c>models verify</c>, so a file
/// the verifier passes is a file the loader reads. The suffixes follow LightX2V's own loader
/// (ModelTC/LightX2V <c>lightx2v/models/networks/wan/lora_adapter.py</c>): <c>lora_A/lora_B.weight</c> and
/// <c>lora_down/lora_up.weight</c> patch <c>X.weight</c>, <c>diff</c> → <c>weight</c>, <c>diff_b</c> → <c>bias</c>,
/// <c>diff_m</c> → <c>modulation</c>; PEFT's adapter name (<c>lora_A.default.weight</c>) is dropped as DiffSynth drops it;
/// kohya's optional <c>X.alpha</c> scales by alpha/rank as ComfyUI does (see <see cref="LoraFile"/>). Prefixes
/// (<c>diffusion_model.</c>, …) stay on the target name; <see cref="LoraTargetNames"/> maps them onto the model.
/// </summary>
public static partial class LoraKeys
{
    [GeneratedRegex(@"^(?<target>.+)\.lora_(?<part>A|B)(\.[^.]+)?\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex PeftKey();

    [GeneratedRegex(@"^(?<target>.+)\.lora_(?<part>down|up)\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex KohyaKey();

    [GeneratedRegex(@"^(?<target>.+)\.alpha$", RegexOptions.CultureInvariant)]
    private static partial Regex AlphaKey();

    [GeneratedRegex(@"^(?<target>.+)\.diff(?<kind>_b|_m)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DiffKey();

    /// <summary>Sorts every key of a file into pairs, alphas and diffs; never throws.</summary>
    public static LoraKeySet Parse(IEnumerable<(string Key, long[] Shape)> entries)
    {
        var shapes = entries.ToDictionary(e => e.Key, e => e.Shape, StringComparer.Ordinal);
        var down = new Dictionary<string, (string Key, LoraConvention Convention)>(StringComparer.Ordinal);
        var up = new Dictionary<string, string>(StringComparer.Ordinal);
        var alpha = new Dictionary<string, string>(StringComparer.Ordinal);
        var diffs = new List<LoraDiffKeys>();
        var problems = new List<string>();
        foreach (var key in shapes.Keys.Order(StringComparer.Ordinal))
        {
            if (PeftKey().Match(key) is { Success: true } p)
                AddHalf(key, p.Groups["target"].Value, p.Groups["part"].Value == "A", LoraConvention.Peft);
            else if (KohyaKey().Match(key) is { Success: true } k)
                AddHalf(key, k.Groups["target"].Value, k.Groups["part"].Value == "down", LoraConvention.Kohya);
            else if (AlphaKey().Match(key) is { Success: true } a)
                alpha[a.Groups["target"].Value] = key;
            else if (DiffKey().Match(key) is { Success: true } d)
                diffs.Add(new LoraDiffKeys(d.Groups["target"].Value, d.Groups["kind"].Value switch
                {
                    "_b" => LoraDiffKind.Bias,
                    "_m" => LoraDiffKind.Modulation,
                    _ => LoraDiffKind.Weight,
                }, key, shapes[key]));
            else
                problems.Add($"'{key}' is not a LoRA key (expected .lora_A/.lora_B, .lora_down/.lora_up, .alpha, .diff, .diff_b or .diff_m)");
        }

        void AddHalf(string key, string target, bool isDown, LoraConvention convention)
        {
            if (isDown) down[target] = (key, convention);
            else up[target] = key;
        }

        var pairs = new List<LoraPairKeys>();
        foreach (var (target, (downKey, convention)) in down.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!up.TryGetValue(target, out var upKey)) { problems.Add($"'{downKey}' has no matching up/B matrix"); continue; }
            long[] downShape = shapes[downKey], upShape = shapes[upKey];
            if (downShape.Length != 2 || upShape.Length != 2 || upShape[1] != downShape[0])
            {
                problems.Add($"'{downKey}' [{string.Join(',', downShape)}] and '{upKey}' [{string.Join(',', upShape)}] do not form a low-rank pair (A [r, in], B [out, r])");
                continue;
            }
            // PEFT alphas are ignored, as the SVI reference (DiffSynth load_lora) ignores them.
            string? alphaKey = convention == LoraConvention.Kohya ? alpha.GetValueOrDefault(target) : null;
            pairs.Add(new LoraPairKeys(target, downKey, upKey, alphaKey, convention, downShape, upShape));
        }
        problems.AddRange(up.Where(kv => !down.ContainsKey(kv.Key)).Select(kv => $"'{kv.Value}' has no matching down/A matrix"));
        problems.AddRange(alpha.Where(kv => !down.ContainsKey(kv.Key) && !up.ContainsKey(kv.Key))
            .Select(kv => $"'{kv.Value}' is the alpha of no low-rank pair"));
        return new LoraKeySet(pairs, diffs, problems);
    }
}
