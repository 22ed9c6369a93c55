namespace Svi.Inference.Pipeline;

/// <summary>
/// One recipe's sampling and the cfg a request may ask for with it.
/// </summary>
/// <param name="HighNoiseSteps">the distilled recipe splits by step count, as the authors' workflow does (3 of 6); with
/// shift 5 and 6 steps this equals the 0.875 boundary (timesteps 1000, 961.5, 909.1 | 833.3, 714.3, 500), with another
/// shift the step split stays the faithful one. Null: switch at <paramref name="Boundary"/>.</param>
/// <param name="DistillHighStrength">LightX2V HIGH strength (authors: 0.5; 1.0 weakens motion and prompt following)</param>
/// <param name="DistillLowStrength">LightX2V LOW strength (authors: 1.0)</param>
public sealed record SviRecipeSettings(SviRecipe Recipe, int Steps, double Shift, double Boundary, int? HighNoiseSteps,
    double DefaultCfg, double MinCfg, double MaxCfg, double DistillHighStrength = 0, double DistillLowStrength = 0)
{
    /// <summary>The authors' workflow: 6 steps, 3 + 3, cfg 1.5 (range 1–2), LightX2V HIGH 0.5 / LOW 1.0; Kijai's shift 5.</summary>
    public static SviRecipeSettings Distilled { get; } = new(SviRecipe.Distilled, 6, 5.0, 0.875, 3, 1.5, 1.0, 2.0, 0.5, 1.0);

    /// <summary>The official SVI 2.0 Pro script: 50 Euler steps, shift 5, boundary 0.875, pipeline cfg 5 (range 1–10).</summary>
    public static SviRecipeSettings Reference { get; } = new(SviRecipe.Reference, 50, 5.0, 0.875, null, 5.0, 1.0, 10.0);

    public bool CfgAllowed(double cfg) => cfg >= MinCfg && cfg <= MaxCfg;

    /// <summary>The clip sampling for a request's cfg; <paramref name="steps"/> (a stored generation's) overrides the recipe's.</summary>
    public SviSampling Sampling(double cfg, int? steps = null)
    {
        int n = steps ?? Steps;
        return new SviSampling(n, Shift, Boundary, cfg, HighNoiseSteps is { } high ? Math.Min(high, n) : null);
    }
}
