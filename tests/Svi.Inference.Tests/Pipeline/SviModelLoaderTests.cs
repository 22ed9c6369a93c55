using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Pipeline;

public sealed class SviModelLoaderTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-loader-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData(TinyCheckpoints.ComfyDiffusionModelPrefix)]
    public void Expert_loads_official_or_comfy_layout_and_merges_the_peft_lora_as_w_plus_strength_b_a(string prefix)
    {
        var config = TinySviModels.Architecture.I2v;
        string dit = Path.Combine(directory, "dit.safetensors"), lora = Path.Combine(directory, "lora.safetensors");
        using (var module = new WanTransformer(config))
        {
            TinyCheckpoints.WriteModule(module, dit, seed: 1, keyPrefix: prefix);
            TinyCheckpoints.WritePeftLora(module, lora, rank: 4, seed: 2);
        }

        using var expert = SviModelLoader.LoadExpert(config, dit, [(lora, 0.5)], ScalarType.Float32, CPU);

        using var scope = NewDisposeScope();
        using var baseFile = SafetensorsFile.Open(dit);
        using var loraFile = SafetensorsFile.Open(lora);
        var w = baseFile.Read(prefix + "blocks.0.self_attn.q.weight");
        var a = loraFile.Read("diffusion_model.blocks.0.self_attn.q.lora_A.weight");
        var b = loraFile.Read("diffusion_model.blocks.0.self_attn.q.lora_B.weight");
        var merged = expert.state_dict()["blocks.0.self_attn.q.weight"];
        Assert.True(merged.allclose(w + 0.5 * b.matmul(a), rtol: 1e-6, atol: 1e-7));
        Assert.False(merged.allclose(w, rtol: 1e-6, atol: 1e-7));
    }

    [Theory]
    [InlineData(MemoryPlanKind.AllResident, SviMode.ImageToVideo, true, true)]
    [InlineData(MemoryPlanKind.ExpertSwap, SviMode.ImageToVideo, true, false)]
    [InlineData(MemoryPlanKind.BlockSwap, SviMode.ImageToVideo, true, false)]
    [InlineData(MemoryPlanKind.AllResident, SviMode.TextToVideoQuality, false, false)]
    public void Load_builds_experts_on_the_host_and_moves_to_the_device_those_the_plan_keeps_there(
        MemoryPlanKind kind, SviMode mode, bool highOnDevice, bool lowOnDevice)
    {
        var files = TinySviModels.Write(directory);
        using var mover = new GuardedWeightMover();
        int? residentBlocks = kind == MemoryPlanKind.BlockSwap ? 0 : null;
        var loader = new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32,
            () => new SviPlacement(CPU, CPU, kind, residentBlocks))
        { Movers = _ => mover };

        using var set = loader.Load(files, new SviModelChoice(mode, SviRecipe.Distilled, Hd: false));

        var high = Residency(set.Experts.High);
        var low = Residency(set.Experts.Low);
        Assert.Equal(highOnDevice, high.OnDevice);
        Assert.Equal(lowOnDevice, low.OnDevice);
        Assert.Equal(residentBlocks ?? TinySviModels.Architecture.I2v.NumLayers, high.ResidentBlocks);
        if (set.AnchorExperts is { } anchor)
            Assert.False(Residency(anchor.High).OnDevice || Residency(anchor.Low).OnDevice, "anchor experts wait on the host");
        long onDevice = (highOnDevice ? high.DeviceBytes : 0) + (lowOnDevice ? low.DeviceBytes : 0);
        Assert.Equal(onDevice, mover.DeviceBytes);
    }

    static ExpertResidency Residency(IVelocityModel expert) =>
        ((WanVelocityModel)expert).Residency ?? throw new InvalidOperationException("the loader gives every expert a residency");
}
