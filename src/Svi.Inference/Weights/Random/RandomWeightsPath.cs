using System.Globalization;

namespace Svi.Inference.Weights.Random;

/// <summary>
/// The address of a random checkpoint, written where a file path would be (<c>random:dit-high?seed=101&amp;storage=bf16</c>),
/// so that random weights travel through <see cref="Runtime.ModelFiles"/> and every loader exactly as files do; only
/// <see cref="CheckpointLoader.Open(string, TorchSharp.torch.nn.Module?)"/> tells them apart. <see cref="Lora"/> says the
/// checkpoint is a PEFT LoRA for the module it is applied to rather than that module's own weights.
/// </summary>
public sealed record RandomWeightsPath(string Name, long Seed, RandomStorage Storage, bool Lora = false, int Rank = 16)
{
    public const string Scheme = "random:";

    public static bool IsRandom(string path) => path.StartsWith(Scheme, StringComparison.Ordinal);

    public override string ToString()
    {
        string storage = Storage switch { RandomStorage.Float32 => "fp32", RandomStorage.BFloat16 => "bf16", _ => "fp8" };
        return FormattableString.Invariant($"{Scheme}{Name}?seed={Seed}&storage={storage}") + (Lora ? FormattableString.Invariant($"&lora={Rank}") : "");
    }

    /// <exception cref="CheckpointFormatException">the text is not a random checkpoint address.</exception>
    public static RandomWeightsPath Parse(string path)
    {
        if (!IsRandom(path)) throw new CheckpointFormatException(path, "not a random-weights address");
        var parts = path[Scheme.Length..].Split('?', 2);
        var query = (parts.Length > 1 ? parts[1] : "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        long seed = query.TryGetValue("seed", out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var storage = query.GetValueOrDefault("storage", "bf16") switch
        {
            "fp32" => RandomStorage.Float32,
            "bf16" => RandomStorage.BFloat16,
            "fp8" => RandomStorage.Fp8Scaled,
            var other => throw new CheckpointFormatException(path, $"unknown storage '{other}' (fp32, bf16, fp8)"),
        };
        bool lora = query.TryGetValue("lora", out var r);
        int rank = lora && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 16;
        return new RandomWeightsPath(parts[0], seed, storage, lora, rank);
    }
}
