using Svi.Inference.Runtime;
using Svi.Inference.Sampling;
using Svi.Inference.Wan;

namespace Svi.Inference.Pipeline;

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
