namespace Svi.Inference.Sampling;

/// <summary>
/// A flow-matching sampler as a denoising loop drives it: for i = 0 … Steps − 1, evaluate the model's
/// velocity at <see cref="Timesteps"/>[i] and call <see cref="Step"/> with i.
/// </summary>
public interface IFlowSampler
{
    int Steps { get; }

    /// <summary>The timestep the model is given at each step (what the reference passes it).</summary>
    IReadOnlyList<float> Timesteps { get; }

    // x: the state before step i; velocity: the model's output at Timesteps[i] (same shape) → the state after step i
    Tensor Step(Tensor x, Tensor velocity, int stepIndex);
}
