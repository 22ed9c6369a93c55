namespace Svi.Inference.Sampling;

/// <summary>A flow-matching network: the velocity (noise − data) at a timestep.</summary>
public interface IVelocityModel
{
    // x: [1, in_dim, T, h, w]; timestep: [1]; context: [1, Lc, text_dim] → [1, out_dim, T, h, w]
    Tensor Forward(Tensor x, Tensor timestep, Tensor context);
}
