namespace Svi.Inference.Sampling;

/// <summary>
/// Wan 2.2 A14B's mixture of experts: the high-noise expert runs while t ≥ boundary·1000, the low-noise expert
/// after. The boundary is configurable: the SVI 2.0 Pro reference uses 0.875, Wan's own I2V config 0.900
/// (its T2V config 0.875).
/// </summary>
public sealed record ExpertSelector(double Boundary)
{
    public const int TrainTimesteps = 1000;

    public static ExpertSelector Svi { get; } = new(0.875);
    public static ExpertSelector WanI2v { get; } = new(0.900);
    public static ExpertSelector WanT2v { get; } = new(0.875);

    public double BoundaryTimestep => Boundary * TrainTimesteps;

    public WanExpert Select(double timestep) => timestep >= BoundaryTimestep ? WanExpert.HighNoise : WanExpert.LowNoise;

    /// <summary>How many leading steps of a schedule the high-noise expert takes.</summary>
    public int HighNoiseSteps(IReadOnlyList<float> timesteps) => timesteps.Count(t => Select(t) == WanExpert.HighNoise);
}
