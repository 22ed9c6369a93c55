namespace Svi.Inference.Sampling;

/// <summary>
/// The σ table of Wan's flow multistep solvers (FlowUniPC, FlowDPMSolver): N values from σ_max down towards 0 in equal
/// steps (numpy's <c>linspace(σ_max, 0, N + 1)[:-1]</c>, in fp64), each shifted σ' = shift·σ / (1 + (shift − 1)·σ) and
/// stored in fp32, then the final σ_N = 0. The model is given ⌊1000·σ_i⌋, as the reference truncates its timesteps to int64.
/// </summary>
public static class ShiftedSigmas
{
    public const int TrainTimesteps = 1000;

    /// <returns>σ_0 … σ_N (N + 1 values) and the N integer timesteps</returns>
    public static (float[] Sigmas, long[] Timesteps) Table(double sigmaMax, int steps, double shift)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least one step");
        if (shift <= 0) throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift must be positive");
        double step = (0.0 - sigmaMax) / steps;
        var sigmas = new float[steps + 1];
        var timesteps = new long[steps];
        for (int i = 0; i < steps; i++)
        {
            double sigma = i * step + sigmaMax;
            sigma = shift * sigma / (1 + (shift - 1) * sigma);
            sigmas[i] = (float)sigma;
            timesteps[i] = (long)(sigma * TrainTimesteps);
        }
        return (sigmas, timesteps);
    }
}
