namespace Svi.Inference.Sampling;

/// <summary>
/// The samplers a recipe may name, spelt as kijai/ComfyUI-WanVideoWrapper's <c>WanVideoSampler</c> spells its schedulers
/// (the public workflows name them so): <see cref="Euler"/> (<see cref="EulerFlowMatchScheduler"/>), <see cref="DpmPlusPlus"/>
/// and <see cref="DpmPlusPlusSde"/> (<see cref="FlowDpmSolverScheduler"/> without and with noise).
/// </summary>
public static class FlowSamplers
{
    public const string Euler = "euler", DpmPlusPlus = "dpm++", DpmPlusPlusSde = "dpm++_sde";

    public static IReadOnlyList<string> Names { get; } = [Euler, DpmPlusPlus, DpmPlusPlusSde];

    public static bool IsKnown(string? name) => name is not null && Names.Contains(name);

    /// <summary>A fresh sampler for one clip.</summary>
    /// <param name="seed">the clip's seed, for a sampler that draws noise</param>
    /// <param name="expertSplit">given the sampler's timesteps, the step where the low-noise expert takes over (a
    /// multistep sampler starts its history afresh there, as the workflow's second sampler node does)</param>
    public static IFlowSampler Create(string name, int steps, double shift, long seed, Func<IReadOnlyList<float>, int> expertSplit)
    {
        if (name == Euler) return new EulerFlowMatchScheduler(steps, shift);
        if (name is not (DpmPlusPlus or DpmPlusPlusSde))
            throw new ArgumentException($"'{name}' is not a sampler (expected one of {string.Join(", ", Names)})", nameof(name));
        var (_, timesteps) = FlowDpmSolverScheduler.Table(steps, shift);
        return new FlowDpmSolverScheduler(steps, shift, stochastic: name == DpmPlusPlusSde, seed, expertSplit(timesteps));
    }
}
