namespace Svi.Inference.Tests.Sampling;

public class FlowUniPcSchedulerTests
{
    [Fact]
    public void Timesteps_are_the_integer_part_of_a_thousand_shifted_sigmas()
    {
        using var scheduler = new FlowUniPcScheduler(8, 5.0);

        Assert.Equal(new long[] { 999, 972, 937, 892, 833, 749, 624, 416 }, scheduler.IntegerTimesteps);
        Assert.Equal(9, scheduler.Sigmas.Count);
        Assert.Equal(0f, scheduler.Sigmas[8]);
        // σ_0 is the training table's 0.999 (held in fp32), shifted: 5σ / (1 + 4σ)
        double top = (float)0.999;
        Assert.Equal((float)(5 * top / (1 + 4 * top)), scheduler.Sigmas[0]);
        for (int i = 0; i < 8; i++) Assert.Equal((long)scheduler.Timesteps[i], scheduler.IntegerTimesteps[i]);
    }

    [Fact]
    public void Straight_path_with_its_exact_velocity_lands_on_the_data()
    {
        // Exact velocity makes every x0 prediction exact, so predictor and corrector both reproduce the data.
        using var scope = NewDisposeScope();
        var data = randn(2, 3, 4, generator: new Generator(3));
        var noise = randn(2, 3, 4, generator: new Generator(4));
        using var scheduler = new FlowUniPcScheduler(12, 5.0);
        var x = (1 - scheduler.Sigmas[0]) * data + scheduler.Sigmas[0] * noise;
        for (int i = 0; i < scheduler.Steps; i++) x = scheduler.Step(x, noise - data, i);

        Assert.True((x - data).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Steps_out_of_order_are_refused_and_reset_reproduces_a_run()
    {
        using var scope = NewDisposeScope();
        var x0 = randn(4, 4, generator: new Generator(5));
        using var scheduler = new FlowUniPcScheduler(5, 3.0);
        Tensor Run()
        {
            var x = x0;
            for (int i = 0; i < scheduler.Steps; i++) x = scheduler.Step(x, 0.3 * x + 0.1, i);
            return x;
        }

        var first = Run();
        Assert.Throws<InvalidOperationException>(() => scheduler.Step(x0, x0, 0));
        scheduler.Reset();
        var second = Run();

        Assert.Equal(0f, (first - second).abs().max().item<float>());
    }

    [Fact]
    public void Order_two_history_changes_the_result_against_first_order()
    {
        // A curved stand-in separates the multistep solver from its first-order form: guards against a dropped history term.
        using var scope = NewDisposeScope();
        var x0 = randn(8, generator: new Generator(6));
        Tensor Run(int order)
        {
            using var scheduler = new FlowUniPcScheduler(10, 5.0, solverOrder: order);
            var x = x0;
            for (int i = 0; i < scheduler.Steps; i++) x = scheduler.Step(x, 0.3 * x + sin(tensor(scheduler.Timesteps[i] / 100f)), i);
            return x;
        }
        var second = Run(2);
        var first = Run(1);
        Assert.True((second - first).abs().max().item<float>() > 1e-4f);
    }
}
