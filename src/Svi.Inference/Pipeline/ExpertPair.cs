using Svi.Inference.Sampling;

namespace Svi.Inference.Pipeline;

/// <summary>Wan 2.2 A14B's two experts: high-noise while t ≥ boundary·1000, low-noise after.</summary>
public sealed record ExpertPair(IVelocityModel High, IVelocityModel Low)
{
    public IVelocityModel For(float timestep, double boundary) =>
        new ExpertSelector(boundary).Select(timestep) == WanExpert.HighNoise ? High : Low;
}
