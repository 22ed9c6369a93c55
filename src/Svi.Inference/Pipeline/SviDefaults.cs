using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>
/// The one source of a deployment's generation defaults: the recipe a request gets when it names none, each recipe's
/// sampling and cfg range, the negative prompt and the text-to-video anchor sampling. Built from
/// <see cref="InferenceOptions"/> (<see cref="From"/>) so both API surfaces, extensions, remix, the workers and
/// <c>./svi generate</c> read the same numbers.
/// </summary>
public sealed record SviDefaults
{
    /// <summary>The recipe for a request that names none (<c>Svi:Inference:Recipe</c>).</summary>
    public SviRecipe Recipe { get; init; } = SviRecipe.Distilled;
    public SviRecipeSettings Distilled { get; init; } = SviRecipeSettings.Distilled;
    public SviRecipeSettings Reference { get; init; } = SviRecipeSettings.Reference;

    /// <summary>
    /// The SVI 2.0 Pro LoRAs' strengths (<c>Svi:Inference:LoraHighStrength</c>, <c>LoraLowStrength</c>; 1.0 as in every
    /// public Pro workflow). The distilled recipe's LightX2V pair takes its strengths from <see cref="Distilled"/>.
    /// </summary>
    public LoraStrengths SviLoras { get; init; } = new([new(ModelRole.LoraHigh, 1.0), new(ModelRole.LoraLow, 1.0)]);

    /// <summary>
    /// The T2V-A14B anchor frame (quality tier): Wan 2.2 T2V's own sampling (<c>wan/configs/wan_t2v_A14B.py</c>: 40
    /// steps, shift 12, boundary 0.875, <c>sample_guide_scale</c> (3.0, 4.0) = (low-noise, high-noise expert)).
    /// </summary>
    public SviSampling AnchorQuality { get; init; } = new(40, 12.0, 0.875, 4.0) { LowNoiseCfg = 3.0 };
    /// <summary>The fast anchor frame: the Wan 2.2 Lightning T2V-A14B 4-step LoRAs, unguided.</summary>
    public SviSampling AnchorFast { get; init; } = new(4, 5.0, 0.875, 1.0);

    /// <summary>
    /// The negative prompt of a request that names none: the hosted contract's English string, verbatim
    /// (specs/hosted-contract.md). It reaches the text encoder only when cfg &gt; 1 (at cfg 1 no negative pass runs).
    /// </summary>
    public const string NegativePrompt =
        "vibrant tone, overexposed, static, blurry details, subtitles, style, artwork, painting, picture, still, overall gray, " +
        "worst quality, low quality, JPEG compression residue, ugly, incomplete, extra fingers, poorly drawn hands, poorly " +
        "drawn face, deformed, disfigured, malformed limbs, fused fingers, still picture, messy background, three legs, " +
        "background crowd, walking backwards";

    /// <summary>
    /// Wan's standard negative prompt, byte-identical to <c>sample_neg_prompt</c> in Wan2.2
    /// <c>wan/configs/shared_config.py</c>, which the SVI reference script uses for every clip; a request may send it.
    /// </summary>
    public const string WanNegativePrompt =
        "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，" +
        "多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走";

    /// <summary>The strength of each LoRA a recipe loads, for a request that names none: exactly the LoRAs it loads.</summary>
    public LoraStrengths LorasFor(SviRecipe recipe) => recipe == SviRecipe.Distilled
        ? SviLoras.With(new([new(ModelRole.DistillLoraHigh, Distilled.DistillHighStrength),
            new(ModelRole.DistillLoraLow, Distilled.DistillLowStrength)]))
        : SviLoras;

    /// <summary>The strengths a generation renders with: its spec's, and the deployment's for any it has none of.</summary>
    public LoraStrengths LorasFor(GenerationSpec spec) => LorasFor(spec.Recipe).With(spec.LoraStrengths);

    public SviRecipeSettings Settings(SviRecipe recipe) => recipe == SviRecipe.Distilled ? Distilled : Reference;

    /// <summary>The clip sampling a generation runs: its recipe's, at its cfg, with any per-spec override.</summary>
    public SviSampling For(GenerationSpec spec)
    {
        var settings = Settings(spec.Recipe);
        return settings.Sampling(spec.Cfg, spec.Steps) with
        {
            Shift = spec.Shift ?? settings.Shift,
            Boundary = spec.Boundary ?? settings.Boundary,
        };
    }

    /// <summary>The defaults of a deployment's <c>Svi:Inference</c> section (validated by the caller).</summary>
    public static SviDefaults From(InferenceOptions options)
    {
        SviRecipes.TryParse(options.Recipe, out var recipe);
        return new()
        {
            Recipe = recipe,
            Distilled = DistilledFrom(options.Distilled),
            SviLoras = new([new(ModelRole.LoraHigh, options.LoraHighStrength), new(ModelRole.LoraLow, options.LoraLowStrength)]),
            Reference = SviRecipeSettings.Reference with
            {
                Steps = options.Steps,
                Shift = options.Shift,
                Boundary = options.Boundary,
                DefaultCfg = options.Guidance,
            },
        };
    }

    /// <summary>The configured preset (unknown: the default one) with each configured number in place of the preset's.</summary>
    public static SviRecipeSettings DistilledFrom(DistilledRecipeOptions d)
    {
        var preset = SviRecipeSettings.DistilledPresets.GetValueOrDefault(d.Preset) ?? SviRecipeSettings.Distilled;
        return preset with
        {
            Steps = d.Steps ?? preset.Steps,
            Shift = d.Shift ?? preset.Shift,
            HighNoiseSteps = d.HighNoiseSteps ?? preset.HighNoiseSteps,
            DefaultCfg = d.Guidance ?? preset.DefaultCfg,
            DistillHighStrength = d.DistillHighStrength ?? preset.DistillHighStrength,
            DistillLowStrength = d.DistillLowStrength ?? preset.DistillLowStrength,
            Sampler = d.Sampler ?? preset.Sampler,
        };
    }

    public SviSampling Anchor(SviMode mode) => mode == SviMode.TextToVideoFast ? AnchorFast : AnchorQuality;
}
