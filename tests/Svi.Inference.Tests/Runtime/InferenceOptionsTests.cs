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
        // The distilled recipe is Kijai's Pro workflow unless configured otherwise: no number overridden.
        Assert.Equal("kijai", o.Distilled.Preset);
        Assert.Equal((null, null, null, null), (o.Distilled.Steps, o.Distilled.Shift, o.Distilled.HighNoiseSteps, o.Distilled.Guidance));
        var d = Svi.Inference.Pipeline.SviDefaults.DistilledFrom(o.Distilled);
        Assert.Equal((6, 5.0, 3, 1.0), (d.Steps, d.Shift, d.HighNoiseSteps, d.DefaultCfg));
        Assert.Equal((1.0, 1.0, "euler"), (d.DistillHighStrength, d.DistillLowStrength, d.Sampler));
    }

    [Fact]
    public void The_authors_preset_is_selectable_and_samples_with_their_dpmpp_sde_which_a_deployment_may_override()
    {
        var o = new InferenceOptions { Distilled = new DistilledRecipeOptions { Preset = "authors" } };
        Assert.Empty(o.Validate());
        var d = Svi.Inference.Pipeline.SviDefaults.DistilledFrom(o.Distilled);
        Assert.Equal((6, 8.0, 3, 1.5, 0.5, 1.0), (d.Steps, d.Shift, d.HighNoiseSteps, d.DefaultCfg, d.DistillHighStrength, d.DistillLowStrength));
        Assert.Equal(("dpm++_sde", "dpm++_sde", true), (d.Sampler, d.WorkflowSampler, d.SamplerExact));
        o.Distilled.Sampler = "euler";
        Assert.Empty(o.Validate());
        d = Svi.Inference.Pipeline.SviDefaults.DistilledFrom(o.Distilled);
        Assert.Equal(("euler", "dpm++_sde", false), (d.Sampler, d.WorkflowSampler, d.SamplerExact));
        o.Distilled.Sampler = "heun";
        Assert.Contains(o.Validate(), e => e.StartsWith("Svi:Inference:Distilled:Sampler ", StringComparison.Ordinal) && e.Contains("euler, dpm++, dpm++_sde"));
        o.Distilled.Sampler = null;
        // One number overridden, the rest the preset's.
        o.Distilled.Shift = 6;
        Assert.Equal((6.0, 1.5), (Svi.Inference.Pipeline.SviDefaults.DistilledFrom(o.Distilled).Shift, Svi.Inference.Pipeline.SviDefaults.DistilledFrom(o.Distilled).DefaultCfg));
        o.Distilled.Preset = "fastest";
        Assert.Contains(o.Validate(), e => e.StartsWith("Svi:Inference:Distilled:Preset ", StringComparison.Ordinal) && e.Contains("kijai, authors"));
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
