using Svi.Inference.Sampling;

namespace Svi.Inference.Pipeline;

/// <summary>
/// One recipe's sampling and the cfg a request may ask for with it.
/// </summary>
/// <param name="HighNoiseSteps">the distilled recipe splits by step count, as both public Pro workflows do (3 of 6); with
/// shift 5 and 6 steps this equals the 0.875 boundary (timesteps 1000, 961.5, 909.1 | 833.3, 714.3, 500), with another
/// shift the step split stays the faithful one. Null: switch at <paramref name="Boundary"/>.</param>
/// <param name="DistillHighStrength">LightX2V HIGH strength (Kijai's workflow 1.0; the authors' 0.5)</param>
/// <param name="DistillLowStrength">LightX2V LOW strength (both workflows: 1.0)</param>
public sealed record SviRecipeSettings(SviRecipe Recipe, int Steps, double Shift, double Boundary, int? HighNoiseSteps,
    double DefaultCfg, double MinCfg, double MaxCfg, double DistillHighStrength = 0, double DistillLowStrength = 0)
{
    /// <summary>The sampler that runs here, by <see cref="FlowSamplers"/> name.</summary>
    public string Sampler { get; init; } = FlowSamplers.Euler;

    /// <summary>The sampler the public workflow this preset follows names; differs from <see cref="Sampler"/> only when a
    /// deployment overrides it (<c>Svi:Inference:Distilled:Sampler</c>).</summary>
    public string WorkflowSampler { get; init; } = FlowSamplers.Euler;

    /// <summary>The named preset these numbers came from (<see cref="DistilledPresets"/>), or the recipe's name.</summary>
    public string Preset { get; init; } = "";

    /// <summary>The public workflow the preset follows.</summary>
    public string Workflow { get; init; } = "";

    public const string KijaiPreset = "kijai", AuthorsPreset = "authors";

    /// <summary>
    /// Kijai's <c>wan22_SVI_Pro_native_example_KJ.json</c> (the default, and the one made for the hosted contract's cfg 1.0:
    /// the full-strength distill LoRAs replace guidance): LightX2V HIGH v1030 at 1.0, the 480p LOW at 1.0 at every
    /// resolution, 6 steps 3 + 3, shift 5, euler, cfg 1.0 (requests may ask 1–2).
    /// </summary>
    public static SviRecipeSettings Distilled { get; } = new(SviRecipe.Distilled, 6, 5.0, 0.875, 3, 1.0, 1.0, 2.0, 1.0, 1.0)
    {
        Preset = KijaiPreset,
        Workflow = "kijai/ComfyUI-KJNodes example_workflows/wan22_SVI_Pro_native_example_KJ.json",
    };

    /// <summary>
    /// The SVI authors' <c>comfyui_workflow/SVI-Wan22-1210-{4,10}-Clips.json</c> (svi_wan22 branch; their
    /// <c>docs/svi/comfyui.md</c> advises HIGH 0.5): LightX2V HIGH 0.5, LOW 1.0, 6 steps 3 + 3, shift 8, cfg 1.5, and their
    /// <c>WanVideoSampler</c> nodes' scheduler dpm++_sde (<see cref="FlowDpmSolverScheduler"/>).
    /// </summary>
    public static SviRecipeSettings DistilledAuthors { get; } = new(SviRecipe.Distilled, 6, 8.0, 0.875, 3, 1.5, 1.0, 2.0, 0.5, 1.0)
    {
        Preset = AuthorsPreset,
        Workflow = "vita-epfl/Stable-Video-Infinity (svi_wan22) comfyui_workflow/SVI-Wan22-1210-{4,10}-Clips.json",
        Sampler = FlowSamplers.DpmPlusPlusSde,
        WorkflowSampler = FlowSamplers.DpmPlusPlusSde,
    };

    /// <summary>The distilled recipe's named presets, selectable with <c>Svi:Inference:Distilled:Preset</c>.</summary>
    public static IReadOnlyDictionary<string, SviRecipeSettings> DistilledPresets { get; } =
        new Dictionary<string, SviRecipeSettings>(StringComparer.OrdinalIgnoreCase) { [KijaiPreset] = Distilled, [AuthorsPreset] = DistilledAuthors };

    /// <summary>The official SVI 2.0 Pro script: 50 Euler steps, shift 5, boundary 0.875, pipeline cfg 5 (range 1–10).</summary>
    public static SviRecipeSettings Reference { get; } = new(SviRecipe.Reference, 50, 5.0, 0.875, null, 5.0, 1.0, 10.0)
    {
        Preset = "reference",
        Workflow = "vita-epfl/Stable-Video-Infinity (svi_wan22) the official inference script",
    };

    /// <summary>Whether the sampler that runs is the one the followed workflow names.</summary>
    public bool SamplerExact => Sampler == WorkflowSampler;

    public bool CfgAllowed(double cfg) => cfg >= MinCfg && cfg <= MaxCfg;

    /// <summary>The clip sampling for a request's cfg; <paramref name="steps"/> (a stored generation's) overrides the recipe's.</summary>
    public SviSampling Sampling(double cfg, int? steps = null)
    {
        int n = steps ?? Steps;
        return new SviSampling(n, Shift, Boundary, cfg, HighNoiseSteps is { } high ? Math.Min(high, n) : null) { Sampler = Sampler };
    }
}
