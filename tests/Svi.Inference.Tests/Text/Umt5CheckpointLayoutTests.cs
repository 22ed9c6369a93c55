using Svi.Inference.Wan.Umt5;

namespace Svi.Inference.Tests.Text;

/// <summary>The Hugging Face / Comfy-Org UMT5 layouts (plain and FP8-scaled) load onto the official names.</summary>
public sealed class Umt5CheckpointLayoutTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-umt5-layout-").FullName;
    readonly Umt5Config config;
    readonly Dictionary<string, Tensor> official;

    public Umt5CheckpointLayoutTests()
    {
        using var set = new ConformanceSet(GoldenSets.Path("umt5_encoder"));
        config = Umt5Config.FromJson(set.Config);
        using var file = SafetensorsFile.Open(set.FilePath("weights.safetensors"));
        official = file.Keys.ToDictionary(k => k, k => file.Read(k));
    }

    [Theory]
    [InlineData("")]
    [InlineData("text_encoders.umt5xxl.transformer.")]
    public void Hugging_face_layout_loads_the_same_weights_as_the_official_one(string prefix)
    {
        var tensors = official.ToDictionary(kv => prefix + Umt5TransformersNames.ToHuggingFace(kv.Key), kv => kv.Value);
        tensors[prefix + "decoder.block.0.layer.0.SelfAttention.q.weight"] = zeros(2, 2);
        string path = Write("hf.safetensors", tensors);

        using var encoder = Umt5Encoder.Load(path, config, ScalarType.Float32);
        foreach (var (name, parameter) in encoder.state_dict())
            TensorAssert.Equal(official[name], parameter, name);
    }

    [Fact]
    public void Comfy_file_with_its_embedded_spiece_model_u8_tensor_loads_and_the_tokenizer_bytes_are_left_alone()
    {
        // Comfy-Org's umt5_xxl_* files carry the SentencePiece model as a U8 tensor; the tokenizer comes from spiece.model.
        var tensors = official.ToDictionary(kv => Umt5TransformersNames.ToHuggingFace(kv.Key), kv => kv.Value);
        tensors["spiece_model"] = tensor(new byte[] { 0x0A, 0x05, 0x0A, 0x01, 0x61 });
        using var encoder = Umt5Encoder.Load(Write("comfy.safetensors", tensors), config, ScalarType.Float32);
        foreach (var (name, parameter) in encoder.state_dict())
            TensorAssert.Equal(official[name], parameter, name);
    }

    [Fact]
    public void Fp8_scaled_layout_runs_like_its_dequantised_weights()
    {
        var fp8 = new Dictionary<string, Tensor> { ["scaled_fp8"] = empty(0, dtype: SafetensorsDType.Float8E4M3FN) };
        var dequantised = new Dictionary<string, Tensor>();
        foreach (var (name, weight) in official)
        {
            string key = Umt5TransformersNames.ToHuggingFace(name);
            bool linear = name.Contains(".attn.") || name.Contains(".ffn.");
            if (!linear)
            {
                fp8[key] = weight;
                dequantised[name] = weight;
                continue;
            }
            var scale = weight.abs().max() / 448.0;
            var stored = (weight / scale).to(SafetensorsDType.Float8E4M3FN);
            fp8[key] = stored;
            fp8[key[..^".weight".Length] + ".scale_weight"] = scale.reshape(1);
            dequantised[name] = stored.to(ScalarType.Float32) * scale;
        }
        using var fromFp8 = Umt5Encoder.Load(Write("fp8.safetensors", fp8), config, ScalarType.Float32);
        using var fromDequantised = Umt5Encoder.Load(Write("dequantised.safetensors", dequantised), config, ScalarType.Float32);
        using var original = Umt5Encoder.Load(Write("original.safetensors", official), config, ScalarType.Float32);

        using var scope = NewDisposeScope();
        var ids = randint(config.Vocab, [2, 9], dtype: ScalarType.Int64);
        var mask = ones_like(ids);
        var expected = fromDequantised.forward(ids, mask);
        var ours = fromFp8.forward(ids, mask);
        // Tolerance: rel 1e-6 (same float32 weights, decoded per forward instead of at load).
        double rel = ((ours - expected).norm() / expected.norm()).item<float>();
        Assert.True(rel < 1e-6, $"rel {rel}");
        // FP8 storage is coarse: the result really went through the float8 round trip.
        double fromOriginal = ((original.forward(ids, mask) - expected).norm() / expected.norm()).item<float>();
        Assert.True(fromOriginal > 1e-4, $"fp8 rounding left no trace ({fromOriginal})");
    }

    [Fact]
    public void Missing_and_unknown_keys_are_named_in_the_error()
    {
        var tensors = official.ToDictionary(kv => Umt5TransformersNames.ToHuggingFace(kv.Key), kv => kv.Value);
        tensors.Remove("encoder.block.1.layer.1.DenseReluDense.wo.weight");
        tensors["encoder.block.0.layer.0.SelfAttention.mystery.weight"] = zeros(2);
        string path = Write("broken.safetensors", tensors);

        var error = Assert.Throws<CheckpointFormatException>(() => Umt5Encoder.Load(path, config, ScalarType.Float32));
        Assert.Contains(path, error.Message);
        Assert.Contains("missing key 'blocks.1.ffn.fc2.weight'", error.Message);
        Assert.Contains("unexpected key 'encoder.block.0.layer.0.SelfAttention.mystery.weight'", error.Message);
    }

    [Fact]
    public void Mis_shaped_tensor_is_named_with_both_shapes()
    {
        var tensors = official.ToDictionary(kv => Umt5TransformersNames.ToHuggingFace(kv.Key), kv => kv.Value);
        tensors["encoder.final_layer_norm.weight"] = ones(config.Dim + 1);
        string path = Write("shape.safetensors", tensors);

        var error = Assert.Throws<CheckpointFormatException>(() => Umt5Encoder.Load(path, config, ScalarType.Float32));
        Assert.Contains("encoder.final_layer_norm.weight", error.Message);
        Assert.Contains($"[{config.Dim + 1}]", error.Message);
        Assert.Contains($"[{config.Dim}]", error.Message);
    }

    [Fact]
    public void Missing_file_is_reported_as_missing_weights()
    {
        string path = Path.Combine(directory, "absent.safetensors");
        var error = Assert.Throws<WeightsMissingException>(() => Umt5Encoder.Load(path, config, ScalarType.Float32));
        Assert.Contains("absent.safetensors", error.Message);
    }

    [Fact]
    public void Every_official_key_has_a_hugging_face_name_that_maps_back()
    {
        foreach (var name in official.Keys)
            Assert.Equal(name, Umt5CheckpointLayout.ToOfficialKey(Umt5TransformersNames.ToHuggingFace(name)));
    }

    string Write(string name, Dictionary<string, Tensor> tensors)
    {
        string path = Path.Combine(directory, name);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    public void Dispose()
    {
        foreach (var t in official.Values) t.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
