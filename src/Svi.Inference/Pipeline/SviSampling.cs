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
    public IVelocityModel Expert(ExpertPair experts, int step, float timestep) => HighNoiseSteps is { } high
        ? (step < high ? experts.High : experts.Low)
        : experts.For(timestep, Boundary);
}
