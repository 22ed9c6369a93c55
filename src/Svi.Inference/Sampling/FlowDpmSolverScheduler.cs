namespace Svi.Inference.Sampling;

/// <summary>
/// The <c>dpm++_sde</c> (and <c>dpm++</c>) scheduler of kijai/ComfyUI-WanVideoWrapper's <c>WanVideoSampler</c>, which the SVI
/// authors' workflow runs: Wan's <c>FlowDPMSolverMultistepScheduler</c> (<c>wan/utils/fm_solvers.py</c>, a flow-matching port
/// of diffusers' DPMSolverMultistepScheduler), created with the sampling shift and <c>algorithm_type</c>
/// <c>sde-dpmsolver++</c> (or <c>dpmsolver++</c>), solver order 2, midpoint, lower order final, final σ 0. Followed: the
/// wrapper's <c>wanvideo/schedulers/__init__.py</c> <c>get_scheduler</c> (commit 23d3636c) and <c>nodes_sampler.py</c>
/// (1972d87d), and the solver as in the wrapper's copy of <c>fm_solvers.py</c> (721cd65e; no newer copy was stored, and the
/// newer <c>get_scheduler</c> still builds the table from the step count alone, as below).
/// <para>
/// One model evaluation per step (a multistep solver, unlike ComfyUI's k-diffusion <c>sample_dpmpp_sde</c>, which evaluates
/// twice per step): the data prediction x0 = x − σ·v, α = 1 − σ, λ = log α − log σ, h = λ_{i+1} − λ_i. First order:
/// x ← (σ_{i+1}/σ_i)·e^{−h}·x + α_{i+1}(1 − e^{−2h})·x0 + σ_{i+1}·√(1 − e^{−2h})·z; second order adds
/// ½·α_{i+1}(1 − e^{−2h})·(x0_i − x0_{i−1})/r with r = (λ_i − λ_{i−1})/h. Without noise (<c>dpm++</c>) the first order is
/// x ← (σ_{i+1}/σ_i)·x + α_{i+1}(1 − e^{−h})·x0. The last step of a segment is first order, so the final step to σ = 0 lands
/// on its x0 exactly.
/// </para>
/// <para>
/// Table: σ_max = shift(0.999) in fp32 (the training table, shifted at creation), σ_i = shift(σ_max·(1 − i/N)) in fp64 stored
/// in fp32, σ_N = 0; the model is given ⌊1000·σ_i⌋, as the reference truncates its timesteps to int64.
/// </para>
/// <para>
/// Segments: the workflow splits the steps between two sampler nodes (HIGH 0–3, LOW 3–6). Each node builds its own scheduler
/// over its slice of the same table and seeds its own generator, so at the restart step (the expert split) the solver history
/// and the noise stream start afresh, and the last HIGH step is first order (the slice's final step).
/// </para>
/// <para>
/// Noise z: like the wrapper, N(0, 1) in fp32 from a CPU generator seeded with the clip's seed, after one draw of the
/// latent's shape (the wrapper draws its initial noise from the same generator first), moved to the latent's device. Where
/// it differs: the wrapper's node seed is the workflow's per-node seed, ours the clip seed the initial noise uses
/// (<c>ClipSeeds</c>); and the update is computed with fp64 coefficients on fp32 tensors, the reference's with fp32
/// coefficients, so results agree to rounding, not bit for bit.
/// </para>
/// </summary>
public sealed class FlowDpmSolverScheduler : IFlowSampler, IDisposable
{
    readonly float[] sigmas;
    readonly float[] timesteps;
    readonly long seed;
    readonly int restartStep;
    Generator? generator;
    Tensor? previousDataPrediction;
    int nextStep;

    /// <param name="stochastic">true: <c>sde-dpmsolver++</c>; false: <c>dpmsolver++</c>, no noise</param>
    /// <param name="seed">the noise stream's seed (the clip's)</param>
    /// <param name="restartStep">where the second segment starts (the expert split); 0 or <paramref name="steps"/>: one segment</param>
    public FlowDpmSolverScheduler(int steps, double shift, bool stochastic, long seed, int restartStep = 0)
    {
        (sigmas, timesteps) = Table(steps, shift);
        if (restartStep < 0 || restartStep > steps) throw new ArgumentOutOfRangeException(nameof(restartStep), restartStep, $"0 … {steps}");
        Steps = steps;
        Shift = shift;
        Stochastic = stochastic;
        this.seed = seed;
        this.restartStep = restartStep;
    }

    public int Steps { get; }
    public double Shift { get; }
    public bool Stochastic { get; }

    /// <summary>⌊1000·σ_i⌋, i = 0..steps−1, as floats.</summary>
    public IReadOnlyList<float> Timesteps => timesteps;
    /// <summary>σ_0 … σ_{N−1} and σ_N = 0 (N + 1 values, fp32).</summary>
    public IReadOnlyList<float> Sigmas => sigmas;

    /// <summary>The σ table (N + 1 values) and the timesteps the model is given.</summary>
    public static (float[] Sigmas, float[] Timesteps) Table(int steps, double shift)
    {
        // Created with the sampling shift, the scheduler shifts its training table's σ_max = 0.999 (in fp32) first.
        float top = 0.999f, s = (float)shift;
        var (sigmas, timesteps) = ShiftedSigmas.Table(s * top / (1 + (s - 1) * top), steps, shift);
        return (sigmas, timesteps.Select(t => (float)t).ToArray());
    }

    // x: the state before step i; velocity: the model's flow prediction at Timesteps[i] → the state after step i
    public Tensor Step(Tensor x, Tensor velocity, int stepIndex)
    {
        if (stepIndex != nextStep)
            throw new InvalidOperationException($"DPM-Solver++ is multistep: step {nextStep} comes next, not {stepIndex} (Reset to start again)");
        if (stepIndex == 0 || stepIndex == restartStep) StartSegment(x.shape);
        bool lastOfSegment = stepIndex == Steps - 1 || stepIndex == restartStep - 1;

        using var scope = NewDisposeScope();
        double sigmaS = sigmas[stepIndex], sigmaT = sigmas[stepIndex + 1];
        double h = Lambda(sigmaT) - Lambda(sigmaS);
        var sample = x.to(ScalarType.Float32);
        var dataPrediction = sample - velocity.to(ScalarType.Float32) * sigmaS;

        // D = x0, or x0 + ½·(x0 − x0_prev)/r at second order
        var d = dataPrediction;
        if (previousDataPrediction is not null && !lastOfSegment)
        {
            double r = (Lambda(sigmaS) - Lambda(sigmas[stepIndex - 1])) / h;
            d = dataPrediction + (dataPrediction - previousDataPrediction) * (0.5 / r);
        }

        Tensor next;
        if (Stochastic)
        {
            var z = randn(x.shape, ScalarType.Float32, CPU, generator: generator).to(x.device);
            double decay = Math.Exp(-h), kept = 1 - Math.Exp(-2 * h);
            next = sample * (sigmaT / sigmaS * decay) + d * ((1 - sigmaT) * kept) + z * (sigmaT * Math.Sqrt(kept));
        }
        else
            next = sample * (sigmaT / sigmaS) + d * ((1 - sigmaT) * -double.ExpM1(-h));

        previousDataPrediction?.Dispose();
        previousDataPrediction = lastOfSegment ? null : dataPrediction.DetachFromDisposeScope();
        if (lastOfSegment) EndSegment();
        nextStep++;
        return next.to(x.dtype).MoveToOuterDisposeScope();
    }

    // λ = log(α/σ) with α = 1 − σ; +∞ at σ = 0, where every coefficient above takes its limit (e^{−h} = 0)
    static double Lambda(double sigma) => Math.Log(1 - sigma) - Math.Log(sigma);

    void StartSegment(long[] shape)
    {
        EndSegment();
        if (!Stochastic) return;
        generator = new Generator(unchecked((ulong)seed), CPU);
        // The reference's generator gives the initial noise first; the step noise follows it.
        using var initialNoise = randn(shape, ScalarType.Float32, CPU, generator: generator);
    }

    void EndSegment()
    {
        previousDataPrediction?.Dispose();
        previousDataPrediction = null;
        generator?.Dispose();
        generator = null;
    }

    /// <summary>Forgets the history so the same table can sample again from step 0.</summary>
    public void Reset()
    {
        EndSegment();
        nextStep = 0;
    }

    public void Dispose() => Reset();
}
