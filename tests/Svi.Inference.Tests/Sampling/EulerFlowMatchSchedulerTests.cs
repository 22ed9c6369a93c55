using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Sampling;

public class EulerFlowMatchSchedulerTests
{
    [Fact]
    public void Fifty_steps_at_shift_5_give_21_high_noise_steps_at_boundary_0875()
    {
        var scheduler = new EulerFlowMatchScheduler(50, 5.0);

        Assert.Equal(1000f, scheduler.Timesteps[0]);
        Assert.Equal(882.35, scheduler.Timesteps[20], 0.01);
        Assert.Equal(873.49, scheduler.Timesteps[21], 0.01);
        Assert.Equal(21, ExpertSelector.Svi.HighNoiseSteps(scheduler.Timesteps));
        Assert.Equal(WanExpert.HighNoise, ExpertSelector.Svi.Select(scheduler.Timesteps[20]));
        Assert.Equal(WanExpert.LowNoise, ExpertSelector.Svi.Select(scheduler.Timesteps[21]));
    }

    [Fact]
    public void Sigmas_fall_from_one_and_timesteps_are_a_thousand_sigmas()
    {
        var scheduler = new EulerFlowMatchScheduler(6, 5.0);

        Assert.Equal(6, scheduler.Sigmas.Count);
        Assert.Equal(1f, scheduler.Sigmas[0]);
        Assert.Equal(0.5f, scheduler.Sigmas[5]); // u = 1/6: 5/6 ÷ (1 + 4/6)
        for (int i = 1; i < 6; i++) Assert.True(scheduler.Sigmas[i] < scheduler.Sigmas[i - 1]);
        for (int i = 0; i < 6; i++) Assert.Equal(scheduler.Sigmas[i] * 1000f, scheduler.Timesteps[i]);
    }

    [Fact]
    public void Straight_path_with_its_exact_velocity_lands_on_the_data()
    {
        // x_σ = (1 − σ)·data + σ·noise has constant velocity noise − data; Euler integrates it exactly to σ = 0.
        using var scope = NewDisposeScope();
        var data = randn(2, 3, 4, generator: new Generator(1));
        var noise = randn(2, 3, 4, generator: new Generator(2));
        var scheduler = new EulerFlowMatchScheduler(7, 3.0);
        var x = noise.clone();
        for (int i = 0; i < scheduler.Steps; i++) x = scheduler.Step(x, noise - data, i);

        Assert.True((x - data).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Step_index_outside_the_schedule_is_rejected()
    {
        var scheduler = new EulerFlowMatchScheduler(4, 5.0);
        using var x = zeros(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Step(x, x, 4));
    }
}
