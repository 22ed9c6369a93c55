using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Inference.Sampling;
using Svi.Kernels.Safetensors;
using Svi.Testing;
using static TorchSharp.torch;

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
    static GenerationSpec Spec(int? steps = null, double cfg = 3.5) => new()
    {
        Model = "svi2-pro",
        Prompts = ["a boat"],
        NegativePrompt = "",
        Width = 32,
        Height = 32,
        DurationSeconds = 5.0625,
        Cfg = cfg,
        Seed = 1,
        AnchorImagePath = "/in.png",
        Steps = steps,
    };

    [Fact]
    public void Defaults_come_from_the_options_and_a_request_overrides_steps()
    {
        var defaults = SviDefaults.From(new InferenceOptions { Steps = 30, Shift = 7, Boundary = 0.9 });
        Assert.Equal(new SviSampling(30, 7, 0.9, 3.5), defaults.For(Spec()));
        Assert.Equal(new SviSampling(12, 7, 0.9, 3.5), defaults.For(Spec(steps: 12)));
        Assert.Null(defaults.FastImageToVideo);
    }

    [Fact]
    public void Fast_preset_replaces_the_requests_steps_and_cfg_with_its_own_split()
    {
        var options = new InferenceOptions { Shift = 5, Boundary = 0.875 };
        options.Fast.Enabled = true;
        options.Fast.Steps = 4;
        options.Fast.HighNoiseSteps = 1;
        options.Fast.Guidance = 1;
        var sampling = SviDefaults.From(options).For(Spec(steps: 50, cfg: 5));
        Assert.Equal(new SviSampling(4, 5, 0.875, 1, 1), sampling);
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
    public void Fast_preset_merges_the_distill_loras_at_their_strength_onto_the_image_to_video_experts()
    {
        string dir = Directory.CreateTempSubdirectory("svi-fast-").FullName;
        try
        {
            var files = TinySviModels.Write(dir);
            var options = new InferenceOptions();
            options.Fast.Enabled = true;
            options.Fast.DistillHighStrength = 0.5;
            var plain = new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32, CPU);
            var fast = SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32, () => SviPlacement.On(CPU));
            using var plainSet = plain.Load(files, SviMode.ImageToVideo);
            using var fastSet = fast.Load(files, SviMode.ImageToVideo);

            const string layer = "blocks.0.self_attn.q";
            using var lora = SafetensorsFile.Open(files.Get(ModelRole.DistillLoraHigh)[0]);
            using var a = lora.Read($"{TinyCheckpoints.PeftPrefix}{layer}.lora_A.weight").to(ScalarType.Float32);
            using var b = lora.Read($"{TinyCheckpoints.PeftPrefix}{layer}.lora_B.weight").to(ScalarType.Float32);
            var before = Weight(plainSet.Experts.High, layer);
            var after = Weight(fastSet.Experts.High, layer);
            using var expected = before + 0.5 * b.matmul(a);
            // float32 merge of a rank-4 product: 1e-5 absolute covers the rounding.
            Assert.True(after.allclose(expected, rtol: 0, atol: 1e-5), "high expert = W_svi + 0.5·B·A of the distill LoRA");
            Assert.False(Weight(plainSet.Experts.Low, layer).allclose(Weight(fastSet.Experts.Low, layer)),
                "the low expert gets its distill LoRA too");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static Tensor Weight(IVelocityModel expert, string layer) =>
        ((WanVelocityModel)expert).Transformer.state_dict()[$"{layer}.weight"].to(ScalarType.Float32);
}
