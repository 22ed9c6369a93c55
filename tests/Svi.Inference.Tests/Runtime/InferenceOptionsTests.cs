using Svi.Inference.Runtime;

namespace Svi.Inference.Tests.Runtime;

public class InferenceOptionsTests
{
    [Fact]
    public void Defaults_are_the_distilled_recipe_with_the_reference_beside_it_and_valid()
    {
        var o = new InferenceOptions();
        Assert.Empty(o.Validate());
        Assert.Equal("distilled", o.Recipe);
        Assert.Equal((50, 0.875, 5.0, 5.0), (o.Steps, o.Boundary, o.Shift, o.Guidance));
        Assert.Equal((1.0, 1.0), (o.LoraHighStrength, o.LoraLowStrength));
        Assert.Equal((6, 5.0, 3, 1.5), (o.Distilled.Steps, o.Distilled.Shift, o.Distilled.HighNoiseSteps, o.Distilled.Guidance));
        Assert.Equal((0.5, 1.0), (o.Distilled.DistillHighStrength, o.Distilled.DistillLowStrength));
    }

    [Fact]
    public void Every_invalid_value_is_reported_with_its_configuration_key()
    {
        var o = new InferenceOptions
        {
            Steps = 0,
            Boundary = 1.2,
            Shift = -1,
            Guidance = 0.5,
            LoraHighStrength = double.NaN,
            MemoryPlan = "half",
            TextEncoderDevice = "tpu",
            Device = "cuda:x",
            Recipe = "fast",
            Distilled = new DistilledRecipeOptions { Steps = 4, HighNoiseSteps = 5, Guidance = 2.5 },
        };
        var errors = o.Validate();
        foreach (var key in new[] { "Steps", "Boundary", "Shift", "Guidance", "LoraHighStrength", "MemoryPlan", "TextEncoderDevice", "Device",
                     "Recipe", "Distilled:HighNoiseSteps", "Distilled:Guidance" })
            Assert.Contains(errors, e => e.StartsWith($"Svi:Inference:{key} ", StringComparison.Ordinal));
        Assert.Equal(11, errors.Count);
    }
}
