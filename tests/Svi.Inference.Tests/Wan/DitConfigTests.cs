using System.Text.Json;

namespace Svi.Inference.Tests.Wan;

public class DitConfigTests
{
    [Fact]
    public void Presets_hold_the_published_model_sizes()
    {
        var i2v = WanConfig.I2vA14B;
        Assert.Equal((36, 5120, 13824, 40, 40, 4096, 256, 16, 512), (i2v.InDim, i2v.Dim, i2v.FfnDim, i2v.NumHeads, i2v.NumLayers, i2v.TextDim, i2v.FreqDim, i2v.OutDim, i2v.TextLen));
        Assert.Equal(128, i2v.HeadDim);
        Assert.Equal(("t2v", 16, 5120), (WanConfig.T2vA14B.ModelType, WanConfig.T2vA14B.InDim, WanConfig.T2vA14B.Dim));
        var ti2v = WanConfig.Ti2v5B;
        Assert.Equal((48, 48, 3072, 14336, 24, 30, 128), (ti2v.InDim, ti2v.OutDim, ti2v.Dim, ti2v.FfnDim, ti2v.NumHeads, ti2v.NumLayers, ti2v.HeadDim));
    }

    [Fact]
    public void Golden_config_is_read_number_by_number()
    {
        var config = WanConfig.FromJsonFile(Path.Combine(GoldenSets.Path("dit_ti2v"), "config.json"));

        Assert.Equal(("ti2v", 16, 48, 96, 192, 256, 32, 48, 2, 2), (config.ModelType, config.TextLen, config.InDim, config.Dim,
            config.FfnDim, config.FreqDim, config.TextDim, config.OutDim, config.NumHeads, config.NumLayers));
        Assert.Equal([1, 2, 2], config.PatchSize);
        Assert.True(config.QkNorm && config.CrossAttnNorm);
        Assert.Equal(1e-6, config.Eps);
    }

    [Fact]
    public void Official_config_json_of_the_i2v_expert_gives_the_preset()
    {
        // as shipped beside the shards of Wan2.2-I2V-A14B/high_noise_model
        const string json = """
            {"_class_name": "WanModel", "_diffusers_version": "0.33.0", "dim": 5120, "eps": 1e-06, "ffn_dim": 13824,
             "freq_dim": 256, "in_dim": 36, "model_type": "i2v", "num_heads": 40, "num_layers": 40, "out_dim": 16, "text_len": 512}
            """;
        var config = WanConfig.FromJson(JsonDocument.Parse(json).RootElement);
        Assert.Equal(WanConfig.I2vA14B.ToString(), config.ToString());
    }

    [Fact]
    public void Diffusers_transformer_config_gives_the_preset()
    {
        const string json = """
            {"_class_name": "WanTransformer3DModel", "added_kv_proj_dim": null, "attention_head_dim": 128, "cross_attn_norm": true,
             "eps": 1e-06, "ffn_dim": 14336, "freq_dim": 256, "image_dim": null, "in_channels": 48, "num_attention_heads": 24,
             "num_layers": 30, "out_channels": 48, "patch_size": [1, 2, 2], "qk_norm": "rms_norm_across_heads",
             "rope_max_seq_len": 1024, "text_dim": 4096}
            """;
        var config = WanConfig.FromJson(JsonDocument.Parse(json).RootElement);
        Assert.Equal(WanConfig.Ti2v5B.ToString(), config.ToString());
    }

    [Fact]
    public void Single_file_shapes_give_the_i2v_preset_with_comfy_prefix()
    {
        var c = WanConfig.I2vA14B;
        var shapes = new Dictionary<string, long[]>
        {
            ["diffusion_model.patch_embedding.weight"] = [c.Dim, c.InDim, 1, 2, 2],
            ["diffusion_model.text_embedding.0.weight"] = [c.Dim, c.TextDim],
            ["diffusion_model.time_embedding.0.weight"] = [c.Dim, c.FreqDim],
            ["diffusion_model.head.head.weight"] = [4 * c.OutDim, c.Dim],
        };
        for (int i = 0; i < c.NumLayers; i++)
        {
            shapes[$"diffusion_model.blocks.{i}.ffn.0.weight"] = [c.FfnDim, c.Dim];
            shapes[$"diffusion_model.blocks.{i}.self_attn.norm_q.weight"] = [c.Dim];
            shapes[$"diffusion_model.blocks.{i}.norm3.weight"] = [c.Dim];
        }

        var config = WanConfig.InferFromShapes(shapes, "diffusion_model.");

        Assert.Equal(c.ToString(), config.ToString());
    }

    [Fact]
    public void Wan21_checkpoint_with_clip_branch_is_refused_by_name()
    {
        var shapes = new Dictionary<string, long[]>
        {
            ["patch_embedding.weight"] = [5120, 36, 1, 2, 2],
            ["img_emb.proj.0.weight"] = [1280],
        };
        var error = Assert.Throws<CheckpointFormatException>(() => WanConfig.InferFromShapes(shapes, "", "wan21.safetensors"));
        Assert.Contains("img_emb", error.Message);
        Assert.Contains("wan21.safetensors", error.Message);
    }

    [Fact]
    public void Checkpoint_without_patch_embedding_names_the_missing_key()
    {
        var error = Assert.Throws<CheckpointFormatException>(() =>
            WanConfig.InferFromShapes(new Dictionary<string, long[]> { ["x"] = [1] }, "model.diffusion_model.", "vae.safetensors"));
        Assert.Contains("model.diffusion_model.patch_embedding.weight", error.Message);
    }

    [Fact]
    public void Model_without_qk_norm_or_cross_attn_norm_has_no_such_keys()
    {
        var config = WanConfig.FromJsonFile(Path.Combine(GoldenSets.Path("dit_t2v"), "config.json")) with { QkNorm = false, CrossAttnNorm = false };
        using var model = new WanTransformer(config);
        var keys = model.state_dict().Keys.ToList();

        Assert.DoesNotContain(keys, k => k.Contains("norm_q") || k.Contains("norm_k") || k.Contains("norm3"));
        Assert.Contains("blocks.1.cross_attn.o.weight", keys);
    }

    [Fact]
    public void Windowed_attention_config_is_refused()
    {
        var json = JsonDocument.Parse("""{"dim": 96, "in_dim": 16, "ffn_dim": 192, "num_heads": 2, "num_layers": 1, "window_size": [8, 8]}""");
        var error = Assert.Throws<CheckpointFormatException>(() => WanConfig.FromJson(json.RootElement, "set/config.json"));
        Assert.Contains("window_size", error.Message);
    }
}
