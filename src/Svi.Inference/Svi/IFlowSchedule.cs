using Svi.Inference.Sampling;
using static TorchSharp.torch;

namespace Svi.Inference.Svi;

/// <summary>A flow-matching step schedule as the clip loop uses it.</summary>
public interface IFlowSchedule
{
    /// <summary>t_i = 1000·σ_i for i = 0 … steps − 1.</summary>
    IReadOnlyList<float> Timesteps { get; }
    // x ← x + (σ_{i+1} − σ_i)·v
    Tensor Step(Tensor x, Tensor velocity, int stepIndex);
}

/// <summary>The reference's sampler: first-order Euler flow matching (svi2pro.md §5).</summary>
public sealed class EulerFlowSchedule(EulerFlowMatchScheduler scheduler) : IFlowSchedule
{
    public static IFlowSchedule Create(int steps, double shift) => new EulerFlowSchedule(new EulerFlowMatchScheduler(steps, shift));

    public IReadOnlyList<float> Timesteps => scheduler.Timesteps;
    public Tensor Step(Tensor x, Tensor velocity, int stepIndex) => scheduler.Step(x, velocity, stepIndex);
}
