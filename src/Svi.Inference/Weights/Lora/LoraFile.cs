using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Svi.Inference.Weights;

/// <summary>The key convention a LoRA pair came in; it decides the factor the pair is applied with.</summary>
public enum LoraConvention
{
    /// <summary><c>X.lora_A[.adapter].weight</c> / <c>X.lora_B[.adapter].weight</c> (PEFT, diffusers, the SVI LoRAs).</summary>
    Peft,
    /// <summary><c>X.lora_down.weight</c> / <c>X.lora_up.weight</c> with an optional <c>X.alpha</c> (kohya, LightX2V).</summary>
    Kohya,
}

/// <summary>
/// One low-rank update for the linear layer named <see cref="Target"/> (the file's own name for it, resolved
/// against the model by <see cref="Lora.Apply(nn.Module, LoraSet, double, LoraMode)"/>): ΔW = Factor · Up·Down, Down (A) [r, in], Up (B) [out, r].
/// </summary>
public sealed record LoraPatch(string Target, Tensor Down, Tensor Up, double Factor, LoraConvention Convention, string SourceKey)
{
    public long Rank => Down.shape[0];
}

/// <summary>
/// A full-size difference for any parameter, always merged: <c>X.diff</c> → <c>X.weight</c> (or the parameter
/// <c>X</c> itself, e.g. <c>modulation</c>), <c>X.diff_b</c> → <c>X.bias</c>.
/// </summary>
public sealed record LoraDiff(string Target, bool IsBias, Tensor Delta, string SourceKey);

/// <summary>The patches of one LoRA file, in CPU memory with the file's dtype.</summary>
public sealed class LoraSet(string path, IReadOnlyList<LoraPatch> patches, IReadOnlyList<LoraDiff> diffs) : IDisposable
{
    public string Path { get; } = path;
    public IReadOnlyList<LoraPatch> Patches { get; } = patches;
    public IReadOnlyList<LoraDiff> Diffs { get; } = diffs;

    public void Dispose()
    {
        foreach (var p in Patches) { p.Down.Dispose(); p.Up.Dispose(); }
        foreach (var d in Diffs) d.Delta.Dispose();
    }
}

/// <summary>
/// Reads LoRA files in the PEFT, kohya and diffusers forms. The factor follows the reference for each form: PEFT
/// pairs are applied as B·A with no alpha/rank factor (the SVI reference merges W + strength·B·A and ignores any
/// <c>alpha</c> entries); kohya pairs are scaled by alpha/rank when an <c>alpha</c> is present, else 1.
/// </summary>
public static class LoraFile
{
    static readonly Regex PeftKey = new(@"^(?<target>.+)\.lora_(?<part>A|B)(\.[^.]+)?\.weight$", RegexOptions.CultureInvariant);
    static readonly Regex KohyaKey = new(@"^(?<target>.+)\.lora_(?<part>down|up)\.weight$", RegexOptions.CultureInvariant);
    static readonly Regex AlphaKey = new(@"^(?<target>.+)\.alpha$", RegexOptions.CultureInvariant);
    static readonly Regex DiffKey = new(@"^(?<target>.+)\.diff(?<bias>_b)?$", RegexOptions.CultureInvariant);

    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">a key is not a LoRA key, or a pair is incomplete or mis-shaped.</exception>
    /// <param name="model">the model the LoRA is for; it shapes a random-weights LoRA (<see cref="Random.RandomWeightsPath"/>)</param>
    public static LoraSet Load(string path, nn.Module? model = null)
    {
        if (!Random.RandomWeightsPath.IsRandom(path) && !File.Exists(path))
            throw new WeightsMissingException(path, "LoRA file: download it or fix the path in the model settings.");
        using var checkpoint = CheckpointLoader.Open(path, model);
        var down = new Dictionary<string, (string Key, LoraConvention Convention)>(StringComparer.Ordinal);
        var up = new Dictionary<string, string>(StringComparer.Ordinal);
        var alpha = new Dictionary<string, string>(StringComparer.Ordinal);
        var diffs = new List<LoraDiff>();
        var problems = new List<string>();
        foreach (var key in checkpoint.Keys.Order(StringComparer.Ordinal))
        {
            if (PeftKey.Match(key) is { Success: true } p)
                Add(p, LoraConvention.Peft, p.Groups["part"].Value == "A");
            else if (KohyaKey.Match(key) is { Success: true } k)
                Add(k, LoraConvention.Kohya, k.Groups["part"].Value == "down");
            else if (AlphaKey.Match(key) is { Success: true } a)
                alpha[a.Groups["target"].Value] = key;
            else if (DiffKey.Match(key) is { Success: true } d)
                diffs.Add(new LoraDiff(d.Groups["target"].Value, d.Groups["bias"].Success, checkpoint.Read(key), key));
            else
                problems.Add($"'{key}' is not a LoRA key (expected .lora_A/.lora_B, .lora_down/.lora_up, .alpha, .diff or .diff_b)");

            void Add(Match m, LoraConvention convention, bool isDown)
            {
                string target = m.Groups["target"].Value;
                if (isDown) down[target] = (key, convention);
                else up[target] = key;
            }
        }

        var patches = new List<LoraPatch>();
        foreach (var (target, (downKey, convention)) in down)
        {
            if (!up.TryGetValue(target, out var upKey)) { problems.Add($"'{downKey}' has no matching up/B matrix"); continue; }
            var downShape = checkpoint.Header(downKey).Shape;
            var upShape = checkpoint.Header(upKey).Shape;
            if (downShape.Length != 2 || upShape.Length != 2 || upShape[1] != downShape[0])
            {
                problems.Add($"'{downKey}' [{string.Join(',', downShape)}] and '{upKey}' [{string.Join(',', upShape)}] do not form a low-rank pair (A [r, in], B [out, r])");
                continue;
            }
            double factor = 1.0;
            if (convention == LoraConvention.Kohya && alpha.TryGetValue(target, out var alphaKey))
            {
                using var alphaValue = checkpoint.Read(alphaKey).to(ScalarType.Float64);
                factor = alphaValue.item<double>() / downShape[0];
            }
            patches.Add(new LoraPatch(target, checkpoint.Read(downKey), checkpoint.Read(upKey), factor, convention, downKey));
        }
        problems.AddRange(up.Where(kv => !down.ContainsKey(kv.Key)).Select(kv => $"'{kv.Value}' has no matching down/A matrix"));

        if (problems.Count > 0)
        {
            foreach (var p in patches) { p.Down.Dispose(); p.Up.Dispose(); }
            foreach (var d in diffs) d.Delta.Dispose();
            throw new CheckpointFormatException(path, $"not a valid LoRA file: {string.Join("; ", problems.Take(20))}");
        }
        return new LoraSet(path, patches, diffs);
    }
}
