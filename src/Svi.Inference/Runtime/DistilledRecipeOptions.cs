namespace Svi.Inference.Runtime;

/// <summary>
/// The distilled recipe (specs/svi2pro.md, "The accelerated recipe"): the SVI authors' ComfyUI workflow puts LightX2V
/// HIGH at 0.5 and LOW at 1.0 next to the SVI 2.0 Pro LoRAs and samples 6 steps, 3 on each expert, at cfg 1.5 (range
/// 1–2); Kijai's Pro example uses shift 5.
/// </summary>
public sealed class DistilledRecipeOptions
{
    public int Steps { get; set; } = 6;
    public double Shift { get; set; } = 5.0;
    /// <summary>How many of the steps the high-noise expert takes before switching (3 of 6, by step count as the workflow does).</summary>
    public int HighNoiseSteps { get; set; } = 3;
    /// <summary>The cfg of a request that names none (authors: 1.5); requests may ask for 1–2. Not 1 runs the negative pass.</summary>
    public double Guidance { get; set; } = 1.5;
    public double DistillHighStrength { get; set; } = 0.5;
    public double DistillLowStrength { get; set; } = 1.0;
}
