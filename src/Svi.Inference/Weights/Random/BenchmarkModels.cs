using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Inference.Wan;

namespace Svi.Inference.Weights.Random;

/// <summary>
/// The models <c>./svi bench --weights random</c> times (Server's <c>Cli/BenchCommand</c>): the chosen architecture's seeded random checkpoints
/// (<see cref="RandomModelFiles"/>, stored as the variant stores them: bf16, or scaled FP8 linears) read through the
/// product's own loaders, with the distilled recipe's LoRAs merged into the expert as a render merges them. Random
/// weights: the timings measure compute, never video quality.
/// </summary>
public sealed class BenchmarkModels(SviArchitecture architecture, ModelFiles files)
{
    public SviArchitecture Architecture { get; } = architecture;
    public string Variant => files.Variant;

    public static BenchmarkModels Random(string architecture, string variant)
    {
        var options = new InferenceOptions { Weights = InferenceOptions.RandomWeights, Architecture = architecture, Variant = variant };
        var chosen = ModelArchitectures.For(options);
        return new BenchmarkModels(chosen, RandomModelFiles.For(variant, chosen));
    }

    /// <summary>The 480p distilled high-noise expert: SVI HIGH at 1.0 and the LightX2V HIGH LoRA at the recipe's strength.</summary>
    public WanTransformer HighNoiseExpert(ScalarType dtype, Device device) =>
        SviModelLoader.LoadExpert(Architecture.I2v, files.Get(ModelRole.DitHigh)[0],
            [(files.Get(ModelRole.LoraHigh)[0], 1.0), (files.Get(ModelRole.DistillLoraHigh)[0], SviRecipeSettings.Distilled.DistillHighStrength)],
            dtype, device);

    public WanVae Vae(ScalarType dtype, Device device) => WanVae.Load(files.Get(ModelRole.Vae)[0], Architecture.Vae, device, dtype);
}
