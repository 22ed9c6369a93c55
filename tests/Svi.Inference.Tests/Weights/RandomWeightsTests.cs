using Svi.Inference.Weights.Random;

namespace Svi.Inference.Tests.Weights;

public class RandomWeightsTests
{
    static WanConfig Dit => ModelArchitectures.TinyArchitecture.I2v;

    static Dictionary<string, Tensor> Loaded(string address, ScalarType dtype = ScalarType.Float32)
    {
        var model = new WanTransformer(Dit, dtype);
        CheckpointLoader.Load(model, address);
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32).clone());
    }

    [Fact]
    public void The_same_address_gives_the_same_weights_and_another_seed_other_weights()
    {
        var a = Loaded("random:dit?seed=1&storage=bf16");
        var b = Loaded("random:dit?seed=1&storage=bf16");
        var c = Loaded("random:dit?seed=2&storage=bf16");
        foreach (var key in a.Keys)
        {
            Assert.True(a[key].eq(b[key]).all().item<bool>(), key);
            Assert.True(a[key].abs().max().item<float>() > 0, $"{key} is all zeros");
        }
        Assert.Contains(a.Keys, key => !a[key].eq(c[key]).all().item<bool>());
    }

    [Fact]
    public void Fp8_storage_keeps_linears_as_fp8_bytes_with_a_scale_like_a_comfy_scaled_file()
    {
        using var checkpoint = CheckpointLoader.Open("random:dit?seed=1&storage=fp8", new WanTransformer(Dit));
        Assert.Equal("F8_E4M3", checkpoint.Header("blocks.0.self_attn.q.weight").DType);
        Assert.Equal("F32", checkpoint.Header("blocks.0.self_attn.q.scale_weight").DType);
        using var model = new WanTransformer(Dit, ScalarType.Float32);
        var report = CheckpointLoader.Load(model, "random:dit?seed=1&storage=fp8");
        Assert.True(report.KeptFp8 > 0);
        using var output = model.Forward(randn(new long[] { 1, Dit.InDim, 1, 8, 8 }), tensor(new float[] { 500 }), randn(new long[] { 1, Dit.TextLen, Dit.TextDim }));
        Assert.True(output.isfinite().all().item<bool>());
        Assert.True(output.abs().max().item<float>() > 0);
    }

    [Fact]
    public void A_random_lora_patches_every_block_linear_of_the_model_it_is_loaded_for()
    {
        using var model = new WanTransformer(Dit);
        using var lora = LoraFile.Load("random:lora?seed=3&storage=bf16&lora=4", model);
        int blockLinears = model.named_modules().Count(m => m.module is Nn.Linear && m.name.StartsWith("blocks.", StringComparison.Ordinal));
        Assert.Equal(blockLinears, lora.Patches.Count);
        Assert.All(lora.Patches, p => Assert.Equal(4, p.Rank));
    }

    [Fact]
    public void Random_files_load_every_mode_through_the_production_loader()
    {
        var options = new InferenceOptions { Weights = InferenceOptions.RandomWeights };
        var availability = new RandomModelInventory("svi", options, _ => null).Check();
        Assert.True(availability.IsRandom);
        Assert.True(availability.ImageToVideo && availability.TextToVideoFast && availability.TextToVideoQuality);
        var loader = new SviModelLoader(ModelArchitectures.For(options), ScalarType.Float32, CPU);
        using var models = loader.Load(availability.Files!, new SviModelChoice(SviMode.TextToVideoFast, SviRecipe.Distilled, Hd: true));
        using var context = models.TextEncoder.Encode("a cat walks by the sea");
        Assert.Equal([ModelArchitectures.TinyArchitecture.TextLength, ModelArchitectures.TinyArchitecture.TextEncoder.Dim], context.shape);
        Assert.True(context.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void The_a14b_footprint_matches_the_published_sizes()
    {
        var bf16 = RandomWeightFootprint.For(SviArchitecture.Wan22A14B, fp8: false, loraRank: 16);
        var fp8 = RandomWeightFootprint.For(SviArchitecture.Wan22A14B, fp8: true, loraRank: 16);
        // Wan 2.2 I2V-A14B: 14.3 B parameters per expert (28.6 GB in bf16, ~14.3 GB as scaled fp8); UMT5-XXL encoder 5.7 B.
        Assert.InRange(bf16.ExpertBytes / 1e9, 28.0, 29.2);
        Assert.InRange(fp8.ExpertBytes / 1e9, 14.0, 15.0);
        Assert.InRange(bf16.TextEncoderBytes / 1e9, 11.0, 11.8);
    }
}
