namespace Svi.Inference.Weights;

/// <summary>
/// The key conventions of FP8 checkpoints. ComfyUI's "scaled fp8" files store a linear layer's <c>X.weight</c> as
/// F8_E4M3 with a float32 scalar <c>X.scale_weight</c> next to it (dequantised weight = fp8 · scale), an optional
/// <c>X.scale_input</c> used only by FP8 matmul, and a marker tensor <c>scaled_fp8</c> whose dtype names the format.
/// The newer "comfy_quant" files name the scale <c>X.weight_scale</c> (with <c>X.input_scale</c> and a
/// <c>X.comfy_quant</c> JSON byte tensor). Plain <c>*_fp8_e4m3fn</c> files have F8 weights and no scale (scale 1).
/// </summary>
public static class Fp8ScaledConvention
{
    public static readonly string[] WeightScaleSuffixes = [".scale_weight", ".weight_scale"];

    /// <summary>Keys that describe how to decode a weight rather than being a parameter themselves.</summary>
    public static bool IsCompanion(string moduleKey) =>
        moduleKey == "scaled_fp8" || moduleKey.EndsWith(".scaled_fp8", StringComparison.Ordinal)
        || moduleKey.EndsWith(".scale_weight", StringComparison.Ordinal)
        || moduleKey.EndsWith(".weight_scale", StringComparison.Ordinal)
        || moduleKey.EndsWith(".scale_input", StringComparison.Ordinal)
        || moduleKey.EndsWith(".input_scale", StringComparison.Ordinal)
        || moduleKey.EndsWith(".comfy_quant", StringComparison.Ordinal);

    /// <summary>The checkpoint keys that may hold the scale of the weight stored under <paramref name="weightKey"/>.</summary>
    public static IEnumerable<string> ScaleKeysFor(string weightKey)
    {
        const string weight = ".weight";
        if (!weightKey.EndsWith(weight, StringComparison.Ordinal)) yield break;
        string owner = weightKey[..^weight.Length];
        foreach (var suffix in WeightScaleSuffixes) yield return owner + suffix;
    }
}
