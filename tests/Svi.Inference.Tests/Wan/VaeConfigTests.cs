using System.Text.Json;
using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Tests.Wan;

public class VaeConfigTests
{
    [Theory]
    [InlineData("vae21")]
    [InlineData("vae22")]
    public void Real_model_statistics_equal_the_golden_sets_constants(string set)
    {
        var golden = WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine(set, "config.json")));
        var preset = set == "vae22" ? WanVaeConfig.Wan22 : WanVaeConfig.Wan21;
        Assert.Equal(golden.ZDim, preset.ZDim);
        Assert.Equal(golden.Mean, preset.Mean);
        Assert.Equal(golden.Std, preset.Std);
    }

    [Fact]
    public void Config_is_read_from_json_with_dec_dim_defaulting_to_dim_for_wan21()
    {
        var config = WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine("vae21", "config.json")));
        Assert.Equal(8, config.Dim);
        Assert.Equal(8, config.DecoderDim);
        Assert.Equal(new[] { 1, 2, 4, 4 }, config.DimMult);
        Assert.Equal(new[] { true, true, false }, config.TemperalUpsample);
        var vae22 = WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine("vae22", "config.json")));
        Assert.Equal(16, vae22.DecoderDim);
        Assert.Equal(48, vae22.Mean.Length);
    }

    [Fact]
    public void Config_without_a_required_number_names_the_missing_key()
    {
        var json = JsonDocument.Parse("""{"dim": 8, "z_dim": 16, "dim_mult": [1, 2], "attn_scales": [], "temperal_downsample": [false], "mean": [], "std": []}""");
        var error = Assert.Throws<InvalidDataException>(() => WanVaeConfig.FromJson(json.RootElement));
        Assert.Contains("num_res_blocks", error.Message);
    }

    [Fact]
    public void Wan21_preset_has_the_official_checkpoint_layout()
    {
        using var vae = new WanVae(WanVaeConfig.Wan21);
        var shapes = vae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal([96, 3, 3, 3, 3], shapes["encoder.conv1.weight"]);
        Assert.Equal([192, 192, 3, 1, 1], shapes["encoder.downsamples.5.time_conv.weight"]);
        Assert.Equal([384, 192, 1, 1, 1], shapes["encoder.downsamples.6.shortcut.weight"]);
        Assert.Equal([32, 384, 3, 3, 3], shapes["encoder.head.2.weight"]);
        Assert.Equal([384, 1, 1], shapes["encoder.middle.1.norm.gamma"]);
        Assert.Equal([32, 32, 1, 1, 1], shapes["conv1.weight"]);
        Assert.Equal([16, 16, 1, 1, 1], shapes["conv2.weight"]);
        Assert.Equal([384, 16, 3, 3, 3], shapes["decoder.conv1.weight"]);
        Assert.Equal([768, 384, 3, 1, 1], shapes["decoder.upsamples.3.time_conv.weight"]);
        Assert.Equal([192, 384, 3, 3], shapes["decoder.upsamples.3.resample.1.weight"]);
        Assert.Equal([96, 192, 3, 3], shapes["decoder.upsamples.11.resample.1.weight"]);
        Assert.Equal([3, 96, 3, 3, 3], shapes["decoder.head.2.weight"]);
        Assert.DoesNotContain(shapes.Keys, k => k.Contains("upsamples.15"));
        Assert.Equal(8, vae.SpatialStride);
        Assert.Equal(4, vae.TemporalStride);
    }

    [Fact]
    public void Wan22_preset_has_the_official_checkpoint_layout()
    {
        using var vae = new WanVae(WanVaeConfig.Wan22);
        var shapes = vae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal([160, 12, 3, 3, 3], shapes["encoder.conv1.weight"]);
        Assert.Equal([160, 160, 3, 3], shapes["encoder.downsamples.0.downsamples.2.resample.1.weight"]);
        Assert.Equal([320, 160, 1, 1, 1], shapes["encoder.downsamples.1.downsamples.0.shortcut.weight"]);
        Assert.Equal([320, 320, 3, 1, 1], shapes["encoder.downsamples.1.downsamples.2.time_conv.weight"]);
        Assert.Equal([96, 640, 3, 3, 3], shapes["encoder.head.2.weight"]);
        Assert.Equal([96, 96, 1, 1, 1], shapes["conv1.weight"]);
        Assert.Equal([1024, 48, 3, 3, 3], shapes["decoder.conv1.weight"]);
        Assert.Equal([2048, 1024, 3, 1, 1], shapes["decoder.upsamples.0.upsamples.3.time_conv.weight"]);
        Assert.Equal([512, 512, 3, 3], shapes["decoder.upsamples.2.upsamples.3.resample.1.weight"]);
        Assert.Equal([256, 512, 1, 1, 1], shapes["decoder.upsamples.3.upsamples.0.shortcut.weight"]);
        Assert.Equal([12, 256, 3, 3, 3], shapes["decoder.head.2.weight"]);
        Assert.Equal(16, vae.SpatialStride);
        Assert.Equal(4, vae.TemporalStride);
    }

    [Fact]
    public void Loading_a_checkpoint_of_another_layout_names_the_file_and_the_keys()
    {
        using var vae = new WanVae(WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine("vae21", "config.json"))));
        string path = GoldenSets.Path(Path.Combine("vae22", "weights.safetensors"));
        using var wrong = SafetensorsFile.Open(path);
        var error = Assert.Throws<CheckpointFormatException>(() => vae.Load(wrong));
        Assert.Contains(path, error.Message);
        Assert.Matches(@"'(en|de)coder\.[a-z0-9_.]+' has shape \[[0-9,]+\], the model needs", error.Message);
    }

    [Fact]
    public void Load_from_a_checkpoint_path_runs_like_the_conformance_model_and_a_missing_file_is_named()
    {
        var config = WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine("vae21", "config.json")));
        using var vae = WanVae.Load(GoldenSets.Path(Path.Combine("vae21", "weights.safetensors")), config);
        using var image = VaeFixtures.ReadIo("vae21", "image");
        using var expected = VaeFixtures.ReadIo("vae21", "image_latent");
        using var latent = vae.Encode(image);
        // Tolerance: the golden bar, rel ≤ 1e-4.
        Assert.True(VaeFixtures.RelativeError(latent, expected) <= 1e-4);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-vae.safetensors");
        var error = Assert.Throws<WeightsMissingException>(() => WanVae.Load(missing, config));
        Assert.Contains("no-such-vae.safetensors", error.Message);
    }

    [Fact]
    public void Encode_rejects_a_frame_count_that_is_not_one_plus_a_multiple_of_four()
    {
        using var vae = new WanVae(WanVaeConfig.FromFile(GoldenSets.Path(Path.Combine("vae21", "config.json"))));
        using var video = zeros([1, 3, 6, 16, 16]);
        var error = Assert.Throws<ArgumentException>(() => vae.Encode(video));
        Assert.Contains("1 + 4k", error.Message);
    }
}
