namespace Svi.Inference.Sampling;

/// <summary>
/// The SVI 2.0 Pro reference's sampler: first-order Euler flow matching on a shifted schedule.
/// u_i = 1 − i/N, σ_i = s·u_i / (1 + (s − 1)·u_i), t_i = 1000·σ_i, σ_N = 0, x ← x + (σ_{i+1} − σ_i)·v(x, t_i).
/// σ is computed in fp64 and stored in fp32; t is that fp32 σ times 1000 in fp32, as the reference's tables are.
/// </summary>
public sealed class EulerFlowMatchScheduler : IFlowSampler
{
    const int TrainTimesteps = 1000;
    readonly float[] sigmas;
    readonly float[] timesteps;

    public EulerFlowMatchScheduler(int steps, double shift)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least one step");
        if (shift <= 0) throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift must be positive");
        Steps = steps;
        Shift = shift;
        sigmas = new float[steps];
        timesteps = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            double u = 1.0 - (double)i / steps;
            sigmas[i] = (float)(shift * u / (1 + (shift - 1) * u));
            timesteps[i] = sigmas[i] * TrainTimesteps;
        }
    }

    public int Steps { get; }
    public double Shift { get; }

    /// <summary>t_i = 1000·σ_i, i = 0..steps−1 (fp32, as the reference's table).</summary>
    public IReadOnlyList<float> Timesteps => timesteps;
    /// <summary>σ_i, i = 0..steps−1; σ_steps = 0.</summary>
    public IReadOnlyList<float> Sigmas => sigmas;

    // x ← x + (σ_{i+1} − σ_i)·v
    public Tensor Step(Tensor x, Tensor velocity, int stepIndex)
    {
        if (stepIndex < 0 || stepIndex >= Steps) throw new ArgumentOutOfRangeException(nameof(stepIndex), stepIndex, $"0 … {Steps - 1}");
        float next = stepIndex + 1 < Steps ? sigmas[stepIndex + 1] : 0f;
        float delta = next - sigmas[stepIndex];
        using var scaled = velocity.to(x.dtype) * delta;
        return x + scaled;
    }
}
