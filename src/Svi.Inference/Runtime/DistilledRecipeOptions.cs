using Svi.Inference.Pipeline;

namespace Svi.Inference.Runtime;

/// <summary>
/// The distilled recipe (specs/svi2pro.md, "The accelerated recipe"): the SVI authors' ComfyUI workflow puts LightX2V
/// HIGH at 0.5 and LOW at 1.0 next to the SVI 2.0 Pro LoRAs and samples 6 steps, 3 on each expert, at cfg 1.5 (range
/// 1–2); Kijai's Pro example uses shift 5. The defaults are <see cref="SviRecipeSettings.Distilled"/>'s, the recipe's one home.
/// </summary>
public sealed class DistilledRecipeOptions
{
    static readonly SviRecipeSettings Recipe = SviRecipeSettings.Distilled;

    public int Steps { get; set; } = Recipe.Steps;
    public double Shift { get; set; } = Recipe.Shift;
    /// <summary>How many of the steps the high-noise expert takes before switching (3 of 6, by step count as the workflow does).</summary>
    public int HighNoiseSteps { get; set; } = Recipe.HighNoiseSteps!.Value;
    /// <summary>The cfg of a request that names none (authors: 1.5); requests may ask for 1–2. Not 1 runs the negative pass.</summary>
    public double Guidance { get; set; } = Recipe.DefaultCfg;
    public double DistillHighStrength { get; set; } = Recipe.DistillHighStrength;
    public double DistillLowStrength { get; set; } = Recipe.DistillLowStrength;
}
