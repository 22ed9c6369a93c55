using Svi.Inference.Sampling;

namespace Svi.Inference.Pipeline;

/// <param name="Steps">denoising steps per clip (reference 50)</param>
/// <param name="Shift">flow-matching shift (reference 5)</param>
/// <param name="Boundary">the high-noise expert runs while t ≥ Boundary·1000 (reference 0.875)</param>
/// <param name="Cfg">guidance scale; 1 skips the negative pass</param>
/// <param name="HighNoiseSteps">when set, the high-noise expert takes exactly this many first steps instead of switching
/// at <paramref name="Boundary"/> (the distill preset's split, e.g. 3 of 6)</param>
public sealed record SviSampling(int Steps, double Shift, double Boundary, double Cfg, int? HighNoiseSteps = null)
{
    /// <summary>A guidance scale of its own for the low-noise expert (Wan T2V: 3.0 low, 4.0 high); null: <see cref="Cfg"/>.</summary>
    public double? LowNoiseCfg { get; init; }

    /// <summary>The sampler, by <see cref="FlowSamplers"/> name.</summary>
    public string Sampler { get; init; } = FlowSamplers.Euler;

    /// <summary>Some step runs the negative pass.</summary>
    public bool Guided => ClassifierFreeGuidance.NeedsNegative(Cfg) || ClassifierFreeGuidance.NeedsNegative(LowNoiseCfg ?? Cfg);

    public IVelocityModel Expert(ExpertPair experts, int step, float timestep) => HighNoiseSteps is { } high
        ? (step < high ? experts.High : experts.Low)
        : experts.For(timestep, Boundary);

    /// <summary>The guidance scale of the expert that runs a step.</summary>
    public double CfgFor(ExpertPair experts, IVelocityModel expert) =>
        ReferenceEquals(expert, experts.Low) ? LowNoiseCfg ?? Cfg : Cfg;

    /// <summary>A fresh sampler for one clip (or anchor frame) drawn with <paramref name="seed"/>.</summary>
    public IFlowSampler NewSampler(long seed) => FlowSamplers.Create(Sampler, Steps, Shift, seed,
        timesteps => HighNoiseSteps is { } high ? Math.Min(high, Steps) : new ExpertSelector(Boundary).HighNoiseSteps(timesteps));

    /// <summary>The denoising loop this sampling runs over <paramref name="experts"/>.</summary>
    public DenoisingLoop Loop(IFlowSampler schedule, ExpertPair experts, bool batched = false) =>
        new(schedule, (step, t) => Expert(experts, step, t), Cfg)
        {
            ExpertCfg = expert => CfgFor(experts, expert),
            Guided = Guided,
            Batched = batched,
        };
}
