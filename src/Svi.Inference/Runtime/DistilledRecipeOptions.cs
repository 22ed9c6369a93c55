namespace Svi.Inference.Runtime;

/// <summary>
/// The distilled recipe (specs/svi2pro.md, "The accelerated recipe"), section <c>Svi:Inference:Distilled</c>.
/// <see cref="Preset"/> picks one public Pro workflow's numbers (<c>SviRecipeSettings.DistilledPresets</c>: kijai, the
/// default, or authors); each other key, when set, overrides that one number of the preset.
/// </summary>
public sealed class DistilledRecipeOptions
{
    /// <summary>kijai (Kijai's Pro workflow: HIGH 1.0, LOW 1.0, shift 5, euler, cfg 1.0) or authors (HIGH 0.5, shift 8, dpm++_sde, cfg 1.5).</summary>
    public string Preset { get; set; } = "kijai";
    public int? Steps { get; set; }
    public double? Shift { get; set; }
    /// <summary>How many of the steps the high-noise expert takes before switching (3 of 6, by step count as the workflows do).</summary>
    public int? HighNoiseSteps { get; set; }
    /// <summary>The cfg of a request that names none; requests may ask for 1–2. Not 1 runs the negative pass.</summary>
    public double? Guidance { get; set; }
    public double? DistillHighStrength { get; set; }
    public double? DistillLowStrength { get; set; }
    /// <summary>euler, dpm++ or dpm++_sde (<c>FlowSamplers</c>); unset: the preset's (kijai: euler, authors: dpm++_sde).</summary>
    public string? Sampler { get; set; }
}
