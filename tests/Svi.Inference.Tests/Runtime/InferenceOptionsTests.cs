using Svi.Inference.Runtime;

namespace Svi.Inference.Tests.Runtime;

public class InferenceOptionsTests
{
    [Fact]
    public void Defaults_are_the_reference_inference_and_valid()
    {
        var o = new InferenceOptions();
        Assert.Empty(o.Validate());
        Assert.Equal((50, 0.875, 5.0), (o.Steps, o.Boundary, o.Shift));
        Assert.Equal((1.0, 1.0), (o.LoraHighStrength, o.LoraLowStrength));
        Assert.Equal((6, 3, 1.0), (o.Fast.Steps, o.Fast.HighNoiseSteps, o.Fast.Guidance));
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
            Fast = new FastPresetOptions { Steps = 4, HighNoiseSteps = 5 },
        };
        var errors = o.Validate();
        foreach (var key in new[] { "Steps", "Boundary", "Shift", "Guidance", "LoraHighStrength", "MemoryPlan", "TextEncoderDevice", "Device", "Fast:HighNoiseSteps" })
            Assert.Contains(errors, e => e.StartsWith($"Svi:Inference:{key} ", StringComparison.Ordinal));
        Assert.Equal(9, errors.Count);
    }
}
