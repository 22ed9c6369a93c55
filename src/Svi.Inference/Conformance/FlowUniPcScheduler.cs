using Svi.Inference.Sampling;

namespace Svi.Inference.Conformance;

/// <summary>
/// Wan's FlowUniPCMultistepScheduler: the UniPC predictor–corrector (B(h) = e^h − 1, "bh2") on the data
/// prediction x0 = x − σ·v, multistep of order <see cref="SolverOrder"/> (Wan: 2) with lower orders at the start
/// and, with <c>lowerOrderFinal</c>, at the end; final σ 0. Created as Wan creates it (shift 1) with the
/// sampling shift given to the timestep table: σ runs from 0.999 towards 0 in N equal steps before shifting,
/// and the model is given the integer part of 1000·σ.
/// <para>Stateful: call <see cref="Step"/> once per step in order 0 … N − 1; <see cref="Reset"/> to reuse.</para>
/// </summary>
public sealed class FlowUniPcScheduler : IFlowSampler, IDisposable
{
    readonly float[] sigmas;
    readonly long[] integerTimesteps;
    readonly float[] timesteps;
    readonly bool lowerOrderFinal;
    readonly Tensor?[] dataPredictions; // x0 of the last SolverOrder steps, newest last
    Tensor? lastSample;
    int lowerOrderCount;
    int currentOrder;
    int nextStep;

    public FlowUniPcScheduler(int steps, double shift, int solverOrder = 2, bool lowerOrderFinal = true)
    {
        // The training table: σ = 1 − α with α = linspace(1, 1/1000, 1000) reversed, held in fp32; Wan creates the
        // scheduler with shift 1, so σ_max is unshifted.
        (sigmas, integerTimesteps) = ShiftedSigmas.Table((float)(1.0 - 1.0 / ShiftedSigmas.TrainTimesteps), steps, shift);
        timesteps = integerTimesteps.Select(t => (float)t).ToArray();
        if (solverOrder is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(solverOrder), solverOrder, "order 1 … 3");
        Steps = steps;
        Shift = shift;
        SolverOrder = solverOrder;
        this.lowerOrderFinal = lowerOrderFinal;
        dataPredictions = new Tensor?[solverOrder];
    }

    public int Steps { get; }
    public double Shift { get; }
    public int SolverOrder { get; }

    /// <summary>The integer timesteps the reference gives the model (as floats for <see cref="IFlowSampler"/>).</summary>
    public IReadOnlyList<float> Timesteps => timesteps;
    public IReadOnlyList<long> IntegerTimesteps => integerTimesteps;
    /// <summary>σ_0 … σ_{N−1} and the final σ_N = 0 (N + 1 values, fp32).</summary>
    public IReadOnlyList<float> Sigmas => sigmas;

    /// <summary>One predictor (and, after the first step, corrector) update.</summary>
    // x: the state before step i; velocity: the model's flow prediction at Timesteps[i] → the state after step i
    public Tensor Step(Tensor x, Tensor velocity, int stepIndex)
    {
        if (stepIndex != nextStep)
            throw new InvalidOperationException($"UniPC is multistep: step {nextStep} comes next, not {stepIndex} (Reset to start again)");
        using var scope = NewDisposeScope();
        int s = stepIndex;
        var sample = x;
        var dataPrediction = sample - velocity.to(x.dtype) * sigmas[s];

        if (s > 0 && lastSample is not null)
            sample = Correct(dataPrediction, lastSample, currentOrder, s);

        dataPredictions[0]?.Dispose();
        for (int i = 0; i < SolverOrder - 1; i++) dataPredictions[i] = dataPredictions[i + 1];
        dataPredictions[^1] = dataPrediction.clone().DetachFromDisposeScope();

        int order = lowerOrderFinal ? Math.Min(SolverOrder, Steps - s) : SolverOrder;
        currentOrder = Math.Min(order, lowerOrderCount + 1);

        lastSample?.Dispose();
        lastSample = sample.clone().DetachFromDisposeScope();
        var next = Predict(sample, currentOrder, s);

        if (lowerOrderCount < SolverOrder) lowerOrderCount++;
        nextStep++;
        return next.MoveToOuterDisposeScope();
    }

    static double Lambda(double sigma) => Math.Log(1 - sigma) - Math.Log(sigma);

    // UniP: extrapolates from σ_s to σ_{s+1} with the last `order` data predictions
    Tensor Predict(Tensor x, int order, int s)
    {
        var (sigmaT, sigmaS0, alphaT, m0, differences, (hPhi1, bH, b, rks)) = StepFrom(s, order);

        var result = sigmaT / sigmaS0 * x - alphaT * hPhi1 * m0;
        if (differences.Count == 0) return result;
        double[] rhos = order == 2 ? [0.5] : Solve(Vandermonde(rks, order - 1), b[..(order - 1)]);
        Tensor residual = differences[0].D * rhos[0];
        for (int k = 1; k < differences.Count; k++) residual = residual + differences[k].D * rhos[k];
        return result - alphaT * bH * residual;
    }

    // UniC: recomputes the state at σ_s from the previous state `last`, now that the data prediction at σ_s is known
    Tensor Correct(Tensor modelAtT, Tensor last, int order, int s)
    {
        var (sigmaT, sigmaS0, alphaT, m0, differences, (hPhi1, bH, b, rks)) = StepFrom(s - 1, order);
        double[] rhos = order == 1 ? [0.5] : Solve(Vandermonde(rks, order), b);

        var result = sigmaT / sigmaS0 * last - alphaT * hPhi1 * m0;
        Tensor correction = (modelAtT - m0) * rhos[^1];
        for (int k = 0; k < differences.Count; k++) correction = correction + differences[k].D * rhos[k];
        return result - alphaT * bH * correction;
    }

    // The step from σ_{s0} to σ_{s0+1} both UniP and UniC take: the latest data prediction m0, the scaled differences of
    // the `order − 1` before it, and the step's coefficients.
    (double SigmaT, double SigmaS0, double AlphaT, Tensor M0, List<(double Rk, Tensor D)> Differences,
        (double HPhi1, double BH, double[] B, double[] Rks) Coefficients) StepFrom(int s0, int order)
    {
        double sigmaT = sigmas[s0 + 1], sigmaS0 = sigmas[s0];
        double lambdaS0 = Lambda(sigmaS0);
        double h = Lambda(sigmaT) - lambdaS0;
        var m0 = dataPredictions[^1]!;
        var differences = new List<(double Rk, Tensor D)>();
        for (int i = 1; i < order; i++)
        {
            double rk = (Lambda(sigmas[s0 - i]) - lambdaS0) / h;
            differences.Add((rk, (dataPredictions[^(i + 1)]! - m0) / rk));
        }
        return (sigmaT, sigmaS0, 1 - sigmaT, m0, differences, Coefficients(h, order, differences.Select(d => d.Rk)));
    }

    // h φ₁(h), B(h) and the right-hand side b of UniPC's order conditions, for the x0 form (hh = −h)
    static (double HPhi1, double BH, double[] B, double[] Rks) Coefficients(double h, int order, IEnumerable<double> rkList)
    {
        double hh = -h;
        double hPhi1 = double.ExpM1(hh);
        double hPhiK = hPhi1 / hh - 1;
        double bH = double.ExpM1(hh);
        double factorial = 1;
        var b = new double[order];
        for (int i = 1; i <= order; i++)
        {
            b[i - 1] = hPhiK * factorial / bH;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }
        return (hPhi1, bH, b, [.. rkList, 1.0]);
    }

    // R[i][j] = rks[j]^i for i, j < size
    static double[,] Vandermonde(double[] rks, int size)
    {
        var r = new double[size, size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                r[i, j] = Math.Pow(rks[j], i);
        return r;
    }

    static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col])) pivot = row;
            for (int k = 0; k < n; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int row = col + 1; row < n; row++)
            {
                double f = m[row, col] / m[col, col];
                for (int k = col; k < n; k++) m[row, k] -= f * m[col, k];
                x[row] -= f * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--)
        {
            for (int k = row + 1; k < n; k++) x[row] -= m[row, k] * x[k];
            x[row] /= m[row, row];
        }
        return x;
    }

    /// <summary>Forgets the multistep history so the same table can sample again from step 0.</summary>
    public void Reset()
    {
        for (int i = 0; i < dataPredictions.Length; i++)
        {
            dataPredictions[i]?.Dispose();
            dataPredictions[i] = null;
        }
        lastSample?.Dispose();
        lastSample = null;
        lowerOrderCount = 0;
        currentOrder = 0;
        nextStep = 0;
    }

    public void Dispose() => Reset();
}
