using Svi.Inference.Runtime;
using Svi.Inference.Sampling;
using Svi.Inference.Wan;
using static TorchSharp.torch;

namespace Svi.Inference.Svi;

/// <summary>A flow-matching network: the velocity (noise − data) at a timestep.</summary>
public interface IVelocityModel
{
    // x: [1, in_dim, T, h, w]; timestep: [1]; context: [1, Lc, text_dim] → [1, out_dim, T, h, w]
    Tensor Forward(Tensor x, Tensor timestep, Tensor context);
}

/// <summary>The Wan DiT as the pipeline's velocity model.</summary>
/// <param name="residency">where a memory plan keeps the weights between forwards; null: they stay where they are</param>
public sealed class WanVelocityModel(WanTransformer transformer, ExpertResidency? residency = null) : IVelocityModel
{
    public WanTransformer Transformer { get; } = transformer;
    public ExpertResidency? Residency { get; } = residency;

    public Tensor Forward(Tensor x, Tensor timestep, Tensor context) => Residency is null
        ? Transformer.Forward(x, timestep, context)
        : Residency.Run(() => Transformer.Forward(x, timestep, context));
}

/// <summary>Wan 2.2 A14B's two experts: high-noise while t ≥ boundary·1000, low-noise after.</summary>
public sealed record ExpertPair(IVelocityModel High, IVelocityModel Low)
{
    public IVelocityModel For(float timestep, double boundary) =>
        new ExpertSelector(boundary).Select(timestep) == WanExpert.HighNoise ? High : Low;
}
