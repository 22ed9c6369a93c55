using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Sampling;

public class FlowDpmSolverSchedulerTests
{
    const long Seed = 7;
    static readonly long[] Shape = [1, 4, 3, 5, 6];

    [Fact]
    public void Timesteps_are_the_integer_part_of_the_shifted_table_whose_top_is_the_training_tables_0_999_shifted_twice()
    {
        using var scheduler = new FlowDpmSolverScheduler(6, 8.0, stochastic: true, Seed);

        // the authors' preset: 6 steps at shift 8 (the 3 + 3 split sits between 941 and 888)
        Assert.Equal(new float[] { 999, 975, 941, 888, 799, 615 }, scheduler.Timesteps);
        Assert.Equal(7, scheduler.Sigmas.Count);
        Assert.Equal(0f, scheduler.Sigmas[6]);
        // shift(shift(0.999)) with shift(σ) = 8σ / (1 + 7σ): 0.999 → 0.999875 → 0.999984
        Assert.InRange(scheduler.Sigmas[0], 0.999984f - 1e-6f, 0.999984f + 1e-6f);
        for (int i = 0; i < 6; i++) Assert.Equal(Math.Floor(1000.0 * scheduler.Sigmas[i]), scheduler.Timesteps[i], 1e-3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void With_a_constant_data_prediction_the_ode_keeps_the_initial_noise_and_lands_on_the_data(int restartStep)
    {
        // x0(x, σ) = c for every x makes D1 vanish, and the exact ODE solution is x_σ = (1 − σ)·c + σ·ε with ε fixed.
        using var scope = NewDisposeScope();
        var data = randn(Shape, generator: new Generator(1));
        var x = randn(Shape, generator: new Generator(2));
        using var scheduler = new FlowDpmSolverScheduler(6, 8.0, stochastic: false, Seed, restartStep);
        var epsilon = (x - (1 - scheduler.Sigmas[0]) * data) / scheduler.Sigmas[0];
        for (int i = 0; i < scheduler.Steps; i++)
        {
            x = scheduler.Step(x, ConstantDataVelocity(x, data, scheduler.Sigmas[i]), i);
            double sigma = scheduler.Sigmas[i + 1];
            // fp32 states of magnitude ~3 over six steps: 1e-5 absolute
            AssertClose((1 - sigma) * data + sigma * epsilon, x, 1e-5);
        }
        Assert.Equal(0f, (x - data).abs().max().item<float>(), 1e-6f);
    }

    [Fact]
    public void With_a_constant_data_prediction_the_sde_mixes_in_seeded_noise_restarting_the_stream_at_the_expert_split()
    {
        // With x0 = c the update is exactly ε' = e^{−h}·ε + √(1 − e^{−2h})·z on the normalised noise ε = (x − (1 − σ)c)/σ,
        // z the seed's N(0, 1) draws after the initial noise's, afresh from step 3 (the second sampler node's own generator).
        using var scope = NewDisposeScope();
        var data = randn(Shape, generator: new Generator(1));
        var x = randn(Shape, generator: new Generator(2));
        using var scheduler = new FlowDpmSolverScheduler(6, 8.0, stochastic: true, Seed, restartStep: 3);
        var epsilon = (x - (1 - scheduler.Sigmas[0]) * data) / scheduler.Sigmas[0];
        Generator? stream = null;
        for (int i = 0; i < scheduler.Steps; i++)
        {
            if (i is 0 or 3)
            {
                stream = new Generator((ulong)Seed);
                randn(Shape, generator: stream);
            }
            var z = randn(Shape, generator: stream);
            x = scheduler.Step(x, ConstantDataVelocity(x, data, scheduler.Sigmas[i]), i);
            double sigmaS = scheduler.Sigmas[i], sigmaT = scheduler.Sigmas[i + 1];
            double h = Lambda(sigmaT) - Lambda(sigmaS);
            epsilon = Math.Exp(-h) * epsilon + Math.Sqrt(-double.ExpM1(-2 * h)) * z;
            if (sigmaT > 0) AssertClose((1 - sigmaT) * data + sigmaT * epsilon, x, 1e-5);
        }
        Assert.Equal(0f, (x - data).abs().max().item<float>(), 1e-6f);
    }

    [Fact]
    public void On_gaussian_data_the_ode_converges_to_the_exact_flow_at_second_order()
    {
        // Data N(0, s²): x_σ ~ N(0, v(σ)) with v = (1 − σ)²s² + σ², the exact denoiser is x0 = (1 − σ)s²/v · x, and the
        // probability-flow ODE scales x by √(v(0)/v(σ0)). Doubling the steps must cut the error about four times; the
        // first-order last step (to the denoiser's output at σ_{N−1} ≈ 0.07 for 64 steps) leaves about 1 % of x.
        const double s = 0.5;
        double Error(int steps)
        {
            using var scope = NewDisposeScope();
            using var scheduler = new FlowDpmSolverScheduler(steps, 5.0, stochastic: false, Seed);
            var x0 = randn([4096], ScalarType.Float64, generator: new Generator(3));
            var x = x0.clone();
            for (int i = 0; i < steps; i++)
            {
                double sigma = scheduler.Sigmas[i], v = Variance(sigma, s);
                var prediction = (1 - sigma) * s * s / v * x;
                x = scheduler.Step(x, (x - prediction) / sigma, i);
            }
            var exact = x0 * (s / Math.Sqrt(Variance(scheduler.Sigmas[0], s)));
            return (x - exact).abs().max().item<double>();
        }

        double coarse = Error(16), fine = Error(32), finer = Error(64);
        Assert.InRange(fine / coarse, 0.15, 0.35);
        Assert.InRange(finer / fine, 0.15, 0.35);
        Assert.True(finer < 0.02, $"error at 64 steps {finer}");
    }

    [Fact]
    public void On_gaussian_data_the_sde_ends_with_the_datas_spread()
    {
        // The same exact Gaussian denoiser; the noise keeps every state's spread near √v(σ), so the end has about s. The
        // 2M SDE recursion itself ends about 2 % wide here (a scalar simulation of it gives 0.512 at 40 and at 160 steps),
        // 200 000 draws add 0.3 %; a wrong noise or decay coefficient misses by far more than the 5 % allowed.
        const double s = 0.5;
        using var scope = NewDisposeScope();
        using var scheduler = new FlowDpmSolverScheduler(40, 5.0, stochastic: true, Seed);
        var x = randn([1, 1, 200_000], ScalarType.Float32, generator: new Generator(4)) * Math.Sqrt(Variance(scheduler.Sigmas[0], s));
        for (int i = 0; i < scheduler.Steps; i++)
        {
            double sigma = scheduler.Sigmas[i], v = Variance(sigma, s);
            x = scheduler.Step(x, (x - (1 - sigma) * s * s / v * x) / sigma, i);
        }
        Assert.InRange(x.std().item<float>(), s * 0.95, s * 1.05);
    }

    [Fact]
    public void The_same_seed_reproduces_a_run_and_another_seed_changes_it()
    {
        using var scope = NewDisposeScope();
        var start = randn(Shape, generator: new Generator(5));
        Tensor Run(long seed)
        {
            using var scheduler = new FlowDpmSolverScheduler(6, 8.0, stochastic: true, seed, restartStep: 3);
            var x = start;
            for (int i = 0; i < scheduler.Steps; i++) x = scheduler.Step(x, (0.3 * x + 0.1).tanh(), i);
            return x;
        }

        Assert.Equal(0f, (Run(11) - Run(11)).abs().max().item<float>());
        Assert.True((Run(11) - Run(12)).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void The_multistep_history_changes_the_result_against_first_order_and_is_refused_out_of_order()
    {
        // A curved stand-in: restarting after every step (a segment of one, always first order) must differ.
        using var scope = NewDisposeScope();
        var start = randn(Shape, generator: new Generator(6));
        using var secondOrder = new FlowDpmSolverScheduler(4, 5.0, stochastic: false, Seed);
        var x = start;
        for (int i = 0; i < 4; i++) x = secondOrder.Step(x, (0.8 * x).sin(), i);
        using var firstOrderAtStep1 = new FlowDpmSolverScheduler(4, 5.0, stochastic: false, Seed, restartStep: 1);
        var y = start;
        for (int i = 0; i < 4; i++) y = firstOrderAtStep1.Step(y, (0.8 * y).sin(), i);

        Assert.True((x - y).abs().max().item<float>() > 1e-4f);
        Assert.Throws<InvalidOperationException>(() => secondOrder.Step(start, start, 0));
    }

    static Tensor ConstantDataVelocity(Tensor x, Tensor data, double sigma) => (x - data) / sigma;

    static double Lambda(double sigma) => Math.Log(1 - sigma) - Math.Log(sigma);

    static double Variance(double sigma, double s) => (1 - sigma) * (1 - sigma) * s * s + sigma * sigma;

    static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        double error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= tolerance, $"largest difference {error}, at most {tolerance}");
    }
}
