using static TorchSharp.torch;

namespace Svi.Inference.Sampling;

// PLACEHOLDER signature, replaced by the real implementation (issue 3). Keep the public shape.
public sealed class EulerFlowMatchScheduler
{
    public EulerFlowMatchScheduler(int steps, double shift) => throw new NotImplementedException();

    /// <summary>t_i = 1000·σ_i, i = 0..steps−1 (fp32, as the reference's table).</summary>
    public IReadOnlyList<float> Timesteps => throw new NotImplementedException();
    /// <summary>σ_i, i = 0..steps−1; σ_steps = 0.</summary>
    public IReadOnlyList<float> Sigmas => throw new NotImplementedException();

    // x ← x + (σ_{i+1} − σ_i)·v
    public Tensor Step(Tensor x, Tensor velocity, int stepIndex) => throw new NotImplementedException();
}
