using Svi.Inference.Pipeline;

namespace Svi.Inference.Runtime;

/// <summary>
/// Sampling defaults and runtime placement, bound from the <c>Svi:Inference</c> configuration section
/// (env <c>Svi__Inference__Steps</c>, …). <see cref="Recipe"/> picks the default recipe; the top-level sampling keys are
/// the reference recipe (the official SVI 2.0 Pro inference, specs/svi2pro.md §5), <see cref="Distilled"/> the
/// accelerated one; their defaults are <see cref="SviRecipeSettings"/>', the recipes' one home.
/// </summary>
public sealed class InferenceOptions
{
    public const string Section = "Svi:Inference";

    /// <summary>distilled or reference: the recipe of a request that names none.</summary>
    public string Recipe { get; set; } = "distilled";

    /// <summary>Reference recipe: Euler flow-matching steps per clip (official: 50).</summary>
    public int Steps { get; set; } = SviRecipeSettings.Reference.Steps;

    /// <summary>Expert switch: the high-noise expert runs while t ≥ Boundary·1000 (reference 0.875; Wan default 0.9).</summary>
    public double Boundary { get; set; } = SviRecipeSettings.Reference.Boundary;

    /// <summary>Flow-matching sigma shift.</summary>
    public double Shift { get; set; } = SviRecipeSettings.Reference.Shift;

    /// <summary>Reference recipe: the cfg of a request that names none (pipeline default 5); 1 skips the negative pass.</summary>
    public double Guidance { get; set; } = SviRecipeSettings.Reference.DefaultCfg;

    public double LoraHighStrength { get; set; } = 1.0;
    public double LoraLowStrength { get; set; } = 1.0;

    /// <summary>The distilled recipe: SVI + LightX2V distill LoRAs, 6 steps split 3 + 3, cfg 1–2; a named preset plus overrides.</summary>
    public DistilledRecipeOptions Distilled { get; set; } = new();

    /// <summary>auto (from free device memory), all-resident, expert-swap or block-swap.</summary>
    public string MemoryPlan { get; set; } = "auto";

    /// <summary>auto, gpu or cpu: where the UMT5 text encoder runs.</summary>
    public string TextEncoderDevice { get; set; } = "auto";

    /// <summary>Which installed weight variant to use (fp8, bf16, fp16), or auto for the manifest's preference order.</summary>
    public string Variant { get; set; } = "auto";

    /// <summary>
    /// files (the installed weights) or random (seeded random weights of <see cref="Architecture"/>, built through the
    /// same loaders: for trying the API and timing, never for real videos; everything it makes is labelled random).
    /// </summary>
    public string Weights { get; set; } = FilesWeights;

    /// <summary>a14b (the published models), tiny (toy widths, for random weights) or auto: tiny with random weights, else a14b.</summary>
    public string Architecture { get; set; } = ModelArchitectures.Auto;

    public const string FilesWeights = "files", RandomWeights = "random";

    public bool UsesRandomWeights => string.Equals(Weights, RandomWeights, StringComparison.OrdinalIgnoreCase);

    /// <summary>auto (first CUDA device, else CPU), cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// Device memory kept free for activations, VAE decode and the allocator's slack, in GiB; unset: derived from the
    /// DiT's activation formula at the largest clip (<see cref="DitActivations.ReserveBytes"/>).
    /// </summary>
    public double? ActivationReserveGiB { get; set; }

    /// <summary>Every problem with these values, worded for the person editing the configuration; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Steps is < 1 or > 1000) errors.Add($"{Section}:Steps must be between 1 and 1000 (got {Steps}).");
        if (Boundary is <= 0 or >= 1) errors.Add($"{Section}:Boundary must be strictly between 0 and 1 (got {Boundary}).");
        if (Shift <= 0) errors.Add($"{Section}:Shift must be positive (got {Shift}).");
        if (Recipe is not ("distilled" or "reference")) errors.Add($"{Section}:Recipe must be one of distilled, reference (got '{Recipe}').");
        if (Guidance is < 1 or > 10) errors.Add($"{Section}:Guidance must be between 1 and 10 (got {Guidance}).");
        if (!Pipeline.SviRecipeSettings.DistilledPresets.ContainsKey(Distilled.Preset ?? ""))
            errors.Add($"{Section}:Distilled:Preset must be one of {string.Join(", ", Pipeline.SviRecipeSettings.DistilledPresets.Keys)} (got '{Distilled.Preset}').");
        var distilled = Pipeline.SviDefaults.DistilledFrom(Distilled);
        foreach (var (name, value) in new[] { ("LoraHighStrength", LoraHighStrength), ("LoraLowStrength", LoraLowStrength),
                     ("Distilled:DistillHighStrength", distilled.DistillHighStrength), ("Distilled:DistillLowStrength", distilled.DistillLowStrength) })
            if (!LoraStrengths.Allowed(value))
                errors.Add($"{Section}:{name} must be between {LoraStrengths.Min} and {LoraStrengths.Max} (got {value}).");
        if (distilled.Steps is < 1 or > 100) errors.Add($"{Section}:Distilled:Steps must be between 1 and 100 (got {distilled.Steps}).");
        if (distilled.Shift <= 0) errors.Add($"{Section}:Distilled:Shift must be positive (got {distilled.Shift}).");
        if (distilled.HighNoiseSteps < 0 || distilled.HighNoiseSteps > distilled.Steps)
            errors.Add($"{Section}:Distilled:HighNoiseSteps must be between 0 and Distilled:Steps ({distilled.Steps}) (got {distilled.HighNoiseSteps}).");
        if (!Sampling.FlowSamplers.IsKnown(distilled.Sampler))
            errors.Add($"{Section}:Distilled:Sampler must be one of {string.Join(", ", Sampling.FlowSamplers.Names)} (got '{distilled.Sampler}').");
        if (distilled.DefaultCfg is < 1 or > 2) errors.Add($"{Section}:Distilled:Guidance must be between 1 and 2 (got {distilled.DefaultCfg}).");
        if (!MemoryPlanner.TryParseOverride(MemoryPlan, out _))
            errors.Add($"{Section}:MemoryPlan must be one of auto, all-resident, expert-swap, block-swap (got '{MemoryPlan}').");
        if (!MemoryPlanner.TryParseTextEncoderPlacement(TextEncoderDevice, out _))
            errors.Add($"{Section}:TextEncoderDevice must be one of auto, gpu, cpu (got '{TextEncoderDevice}').");
        if (!DeviceSelector.TryParse(Device, out _))
            errors.Add($"{Section}:Device must be auto, cpu, cuda or cuda:N (got '{Device}').");
        if (!string.Equals(Weights, FilesWeights, StringComparison.OrdinalIgnoreCase) && !UsesRandomWeights)
            errors.Add($"{Section}:Weights must be files or random (got '{Weights}').");
        if (!ModelArchitectures.IsKnown(Architecture))
            errors.Add($"{Section}:Architecture must be auto, a14b or tiny (got '{Architecture}').");
        if (string.IsNullOrWhiteSpace(Variant)) errors.Add($"{Section}:Variant must be auto or a variant name such as fp8 or bf16.");
        if (ActivationReserveGiB is < 0 or > 1024) errors.Add($"{Section}:ActivationReserveGiB must be between 0 and 1024 (got {ActivationReserveGiB}).");
        return errors;
    }
}
