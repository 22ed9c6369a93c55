using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Inference.Weights.Random;

/// <summary>
/// The <see cref="ModelFiles"/> of random weights: every role SVI 2.0 Pro needs, each a <see cref="RandomWeightsPath"/>
/// with its own seed, stored as the chosen variant would store it (fp8: scaled e4m3fn linears in the experts and text
/// encoder; otherwise bf16). The VAE and LoRAs are bf16 in every variant, as the published files are.
/// </summary>
public static class RandomModelFiles
{
    public const string VariantPrefix = "random-";
    public const int LoraRank = 16;

    /// <param name="variant">the configured variant: fp8 stores FP8; auto, bf16, fp16 store bf16</param>
    public static ModelFiles For(string variant, SviArchitecture architecture)
    {
        var storage = string.Equals(variant, "fp8", StringComparison.OrdinalIgnoreCase) ? RandomStorage.Fp8Scaled : RandomStorage.BFloat16;
        string Model(string name, long seed, RandomStorage kind) => new RandomWeightsPath(name, seed, kind).ToString();
        string Lora(string name, long seed) => new RandomWeightsPath(name, seed, RandomStorage.BFloat16, Lora: true, Rank: LoraRank).ToString();
        var files = new Dictionary<ModelRole, IReadOnlyList<string>>
        {
            [ModelRole.DitHigh] = [Model("i2v-high-noise", 1, storage)],
            [ModelRole.DitLow] = [Model("i2v-low-noise", 2, storage)],
            [ModelRole.LoraHigh] = [Lora("svi-lora-high-noise", 3)],
            [ModelRole.LoraLow] = [Lora("svi-lora-low-noise", 4)],
            [ModelRole.T2vDitHigh] = [Model("t2v-high-noise", 5, storage)],
            [ModelRole.T2vDitLow] = [Model("t2v-low-noise", 6, storage)],
            [ModelRole.DistillLoraHigh] = [Lora("distill-lora-high-noise", 7)],
            [ModelRole.DistillLoraLow] = [Lora("distill-lora-low-noise", 8)],
            [ModelRole.T2vDistillLoraHigh] = [Lora("t2v-distill-lora-high-noise", 13)],
            [ModelRole.T2vDistillLoraLow] = [Lora("t2v-distill-lora-low-noise", 14)],
            [ModelRole.Vae] = [Model("vae", 9, RandomStorage.BFloat16)],
            [ModelRole.TextEncoder] = [Model("umt5", 10, storage)],
            [ModelRole.Tokenizer] = [Model("spiece", 11, RandomStorage.BFloat16)],
            // Not random values: the linear-blend stand-in graph with RIFE's signature (Interpolation.LinearBlendRifeGraph).
            [ModelRole.Interpolation] = [LinearBlendRifeGraph.Address],
        };
        return new ModelFiles(VariantPrefix + (storage == RandomStorage.Fp8Scaled ? "fp8" : "bf16"), files,
            RandomWeightFootprint.For(architecture, storage == RandomStorage.Fp8Scaled, LoraRank));
    }
}
