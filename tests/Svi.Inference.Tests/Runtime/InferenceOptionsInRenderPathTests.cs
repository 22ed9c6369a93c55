using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Runtime;

/// <summary>Runs alone: loading tiny model sets moves the process's resident memory, which the pipeline's flat-memory test measures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TinyModelLoadCollection
{
    public const string Name = "Tiny model loads (not in parallel)";
}

/// <summary>Svi:Inference is the one source of the renderer's sampling, the loader's LoRA strengths and its placement.</summary>
[Collection(TinyModelLoadCollection.Name)]
public sealed class InferenceOptionsInRenderPathTests
{
    static GenerationSpec Spec(int? steps = null, double cfg = 3.5) => TestSpecs.Tiny() with { Cfg = cfg, Steps = steps };

    [Fact]
    public void Reference_recipe_comes_from_the_top_level_options_and_a_stored_generation_overrides_steps()
    {
        var defaults = SviDefaults.From(new InferenceOptions { Steps = 30, Shift = 7, Boundary = 0.9 });
        Assert.Equal(new SviSampling(30, 7, 0.9, 3.5), defaults.For(Spec()));
        Assert.Equal(new SviSampling(12, 7, 0.9, 3.5), defaults.For(Spec(steps: 12)));
        Assert.Equal(5.0, defaults.Reference.DefaultCfg);
        Assert.Equal((1.0, 10.0), (defaults.Reference.MinCfg, defaults.Reference.MaxCfg));
    }

    [Fact]
    public void Distilled_recipe_keeps_the_requests_cfg_and_splits_by_step_count()
    {
        var options = new InferenceOptions();
        options.Distilled.Steps = 4;
        options.Distilled.HighNoiseSteps = 1;
        var defaults = SviDefaults.From(options);
        Assert.Equal(SviRecipe.Distilled, defaults.Recipe);
        var sampling = defaults.For(Spec(cfg: 1.5) with { Recipe = SviRecipe.Distilled });
        Assert.Equal(new SviSampling(4, 5, 0.875, 1.5, 1), sampling);
        Assert.True(sampling.Guided);
        Assert.Equal((1.0, 1.0, 2.0, 1.0, 1.0), (defaults.Distilled.DefaultCfg, defaults.Distilled.MinCfg, defaults.Distilled.MaxCfg,
            defaults.Distilled.DistillHighStrength, defaults.Distilled.DistillLowStrength));
    }

    [Fact]
    public void Default_distilled_recipe_is_six_steps_three_plus_three_which_the_0_875_boundary_gives_too_at_shift_5()
    {
        var distilled = new SviDefaults().Distilled;
        Assert.Equal((6, 5.0, 3), (distilled.Steps, distilled.Shift, distilled.HighNoiseSteps!.Value));
        var schedule = new EulerFlowMatchScheduler(distilled.Steps, distilled.Shift);
        Assert.Equal(3, schedule.Timesteps.Count(t => t >= distilled.Boundary * 1000));
    }

    [Fact]
    public void Quality_anchor_uses_wan_t2v_guidance_4_on_the_high_and_3_on_the_low_expert()
    {
        var anchor = new SviDefaults().AnchorQuality;
        var experts = new ExpertPair(new StandInVelocityModel(16, 16, 1), new StandInVelocityModel(16, 16, 2));
        Assert.Equal(4.0, anchor.CfgFor(experts, experts.High));
        Assert.Equal(3.0, anchor.CfgFor(experts, experts.Low));
        Assert.Equal((40, 12.0, 0.875), (anchor.Steps, anchor.Shift, anchor.Boundary));
    }

    [Fact]
    public void High_noise_step_split_picks_the_high_expert_for_exactly_the_first_steps()
    {
        var experts = new ExpertPair(new StandInVelocityModel(36, 16, 1), new StandInVelocityModel(36, 16, 2));
        var split = new SviSampling(6, 5, 0.875, 1, HighNoiseSteps: 3);
        // Timesteps near 1000 would all be high-noise by the boundary; the split ignores them.
        var chosen = Enumerable.Range(0, 6).Select(i => split.Expert(experts, i, 999f)).ToList();
        Assert.All(chosen.Take(3), m => Assert.Same(experts.High, m));
        Assert.All(chosen.Skip(3), m => Assert.Same(experts.Low, m));
        var byBoundary = new SviSampling(6, 5, 0.875, 1);
        Assert.Same(experts.High, byBoundary.Expert(experts, 5, 900f));
        Assert.Same(experts.Low, byBoundary.Expert(experts, 0, 800f));
    }

    [Theory]
    [InlineData(TextEncoderPlacement.Cpu, "cpu", MemoryPlanKind.ExpertSwap, null)]
    [InlineData(TextEncoderPlacement.Gpu, "cuda:0", MemoryPlanKind.AllResident, null)]
    [InlineData(TextEncoderPlacement.Cpu, "cpu", MemoryPlanKind.BlockSwap, 12)]
    public void Placement_follows_the_plan_for_device_text_encoder_and_expert_residency(
        TextEncoderPlacement textEncoder, string textDevice, MemoryPlanKind kind, int? residentBlocks)
    {
        var plan = new RuntimePlan(new ComputeDevice("cuda:0", 0, 1, 1, "test GPU"),
            new MemoryPlan(kind, textEncoder, residentBlocks ?? 40, 1, 0, "test"));
        var placement = SviPlacement.From(plan);
        Assert.Equal("cuda:0", placement.Models.ToString());
        Assert.Equal(textDevice, placement.TextEncoder.ToString());
        Assert.Equal(kind, placement.Memory);
        Assert.Equal(residentBlocks, placement.ResidentBlocks);
        Assert.Equal(kind == MemoryPlanKind.AllResident ? 2 : 1, placement.ExpertCapacity);
    }

    [Fact]
    public void Distilled_recipe_merges_the_published_distill_loras_at_their_strengths_the_same_at_every_resolution()
    {
        string dir = Directory.CreateTempSubdirectory("svi-distilled-").FullName;
        try
        {
            var files = TinySviModels.Write(dir);
            var options = new InferenceOptions();
            options.Distilled.DistillHighStrength = 0.5;
            var loader = SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32, () => SviPlacement.On(CPU));
            using var reference = loader.Load(files, new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Reference, Hd: false));
            using var sd = loader.Load(files, new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false));
            using var hd = loader.Load(files, new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: true));

            const string layer = "blocks.0.self_attn.q";
            // Kohya with alpha: the fixture's alpha 2 over rank 4 halves the pair, then the recipe's 0.5.
            using var lora = SafetensorsFile.Open(files.Get(ModelRole.DistillLoraHigh)[0]);
            using var down = lora.Read($"diffusion_model.{layer}.lora_down.weight").to(ScalarType.Float32);
            using var up = lora.Read($"diffusion_model.{layer}.lora_up.weight").to(ScalarType.Float32);
            using var expected = Weight(reference.Experts.High, layer) + 0.5 * 0.5 * up.matmul(down);
            // float32 merge of a rank-4 product: 1e-5 absolute covers the rounding.
            Assert.True(Weight(sd.Experts.High, layer).allclose(expected, rtol: 0, atol: 1e-5), "high expert = W + 0.5·(α/r)·up·down");
            Assert.True(Weight(hd.Experts.High, layer).allclose(expected, rtol: 0, atol: 1e-5), "the HIGH distill serves both resolutions");

            using var low480 = SafetensorsFile.Open(files.Get(ModelRole.DistillLoraLow)[0]);
            using var bias = low480.Read($"diffusion_model.{layer}.diff_b").to(ScalarType.Float32);
            using var expectedBias = Bias(reference.Experts.Low, layer) + bias;
            Assert.True(Bias(sd.Experts.Low, layer).allclose(expectedBias, rtol: 0, atol: 1e-5), "the low expert takes the 480p diff_b");
            Assert.True(Bias(hd.Experts.Low, layer).allclose(expectedBias, rtol: 0, atol: 1e-5), "so does the 720p low expert");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static Tensor Bias(IVelocityModel expert, string layer) =>
        ((WanVelocityModel)expert).Transformer.state_dict()[$"{layer}.bias"].to(ScalarType.Float32);

    static Tensor Weight(IVelocityModel expert, string layer) =>
        ((WanVelocityModel)expert).Transformer.state_dict()[$"{layer}.weight"].to(ScalarType.Float32);
}
