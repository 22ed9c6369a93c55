using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Sampling;

public class GuidanceAndExpertTests
{
    [Fact]
    public void Guidance_scale_one_runs_the_model_once_on_the_positive_context()
    {
        using var scope = NewDisposeScope();
        var positive = ones(2);
        var calls = new List<Tensor>();
        var result = ClassifierFreeGuidance.Predict(c => { calls.Add(c); return c * 3; }, positive, negativeContext: null, scale: 1.0);

        Assert.Single(calls);
        Assert.Same(positive, calls[0]);
        Assert.Equal(new[] { 3f, 3f }, result.data<float>().ToArray());
    }

    [Fact]
    public void Guidance_extrapolates_from_negative_towards_positive()
    {
        using var scope = NewDisposeScope();
        var positive = tensor(new[] { 2f, 4f });
        var negative = tensor(new[] { 1f, 1f });
        var calls = 0;
        var result = ClassifierFreeGuidance.Predict(c => { calls++; return c.clone(); }, positive, negative, scale: 5.0);

        Assert.Equal(2, calls);
        Assert.Equal(new[] { 6f, 16f }, result.data<float>().ToArray()); // 1 + 5·(2 − 1), 1 + 5·(4 − 1)
    }

    [Fact]
    public void Guidance_above_one_without_negative_context_is_an_error()
    {
        using var positive = ones(1);
        Assert.Throws<ArgumentNullException>(() => ClassifierFreeGuidance.Predict(c => c, positive, null, 3.5));
    }

    [Theory]
    [InlineData(0.875, 875.0, WanExpert.HighNoise)]
    [InlineData(0.875, 874.99, WanExpert.LowNoise)]
    [InlineData(0.900, 899.0, WanExpert.LowNoise)]
    [InlineData(0.900, 900.0, WanExpert.HighNoise)]
    public void Expert_is_high_noise_from_the_boundary_up(double boundary, double timestep, WanExpert expected)
        => Assert.Equal(expected, new ExpertSelector(boundary).Select(timestep));

    [Fact]
    public void Wan_i2v_boundary_splits_its_unipc_schedule()
    {
        using var scheduler = new FlowUniPcScheduler(40, 5.0);
        int high = ExpertSelector.WanI2v.HighNoiseSteps(scheduler.Timesteps);

        Assert.InRange(high, 1, 39);
        Assert.True(scheduler.Timesteps[high - 1] >= 900 && scheduler.Timesteps[high] < 900);
    }
}
