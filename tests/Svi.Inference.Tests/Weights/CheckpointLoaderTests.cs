using System.Text.Json;
using Svi.Kernels.Fp8;

namespace Svi.Inference.Tests.Weights;

public class CheckpointLoaderTests
{
    static readonly Tensor Input = randn(new long[] { 3, TinyWanLike.Dim }, generator: new Generator(7));

    /// <summary>The fixture's output with the given state dict copied in the plain way (the reference for every layout).</summary>
    static Tensor Reference(Dictionary<string, Tensor> stateDict)
    {
        using var model = new TinyWanLike();
        using (no_grad())
            foreach (var (name, target) in model.state_dict()) target.copy_(stateDict[name]);
        return model.forward(Input);
    }

    static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors) => SafetensorsWriter.Write(path, tensors);

    /// <summary>Writes the tensors as wan.safetensors and returns the error loading them into the tiny model gives.</summary>
    static CheckpointFormatException LoadFails(TempDir dir, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        Write(dir.File("wan.safetensors"), tensors);
        using var model = new TinyWanLike();
        return Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(model, dir.File("wan.safetensors")));
    }

    [Fact]
    public void Official_layout_loads_and_computes_like_a_plain_copy()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        Write(dir.File("wan.safetensors"), sd);
        using var model = new TinyWanLike();
        var report = CheckpointLoader.Load(model, dir.File("wan.safetensors"));
        Assert.Equal(KeyLayout.Official, report.Layout);
        using var expected = Reference(sd);
        using var actual = model.forward(Input);
        TensorAssert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("model.diffusion_model.")]
    [InlineData("diffusion_model.")]
    public void Comfy_prefixed_single_file_loads_under_the_official_names(string prefix)
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        Write(dir.File("wan_repackaged.safetensors"), sd.Select(kv => KeyValuePair.Create(prefix + kv.Key, kv.Value)));
        using var model = new TinyWanLike();
        var report = CheckpointLoader.Load(model, dir.File("wan_repackaged.safetensors"));
        Assert.Equal($"prefix '{prefix}'", report.Layout.Name);
        Assert.Equal(sd.Keys.Order(), model.state_dict().Keys.Order());
        using var expected = Reference(sd);
        using var actual = model.forward(Input);
        TensorAssert.Equal(expected, actual);
    }

    /// <summary>Writes the Comfy "scaled fp8" layout: Linear weights F8_E4M3 with a scale_weight scalar, the marker key, the rest fp32.</summary>
    static Dictionary<string, Tensor> WriteFp8Scaled(string path, Dictionary<string, Tensor> sd, string prefix, string scaleSuffix = ".scale_weight")
    {
        var file = new List<KeyValuePair<string, Tensor>> { KeyValuePair.Create(prefix + "scaled_fp8", empty(0, dtype: SafetensorsDType.Float8E4M3FN)) };
        var dequantised = new Dictionary<string, Tensor>();
        foreach (var (key, value) in sd)
        {
            if (value.ndim == 2 && key.EndsWith(".weight"))
            {
                var scale = value.abs().max() / 448f;
                var f8 = Fp8Codec.Encode(value / scale, Fp8Format.E4M3FN);
                file.Add(KeyValuePair.Create(prefix + key, f8));
                file.Add(KeyValuePair.Create(prefix + key[..^".weight".Length] + scaleSuffix, scale.reshape()));
                file.Add(KeyValuePair.Create(prefix + key[..^".weight".Length] + ".scale_input", ones(1)));
                dequantised[key] = f8.to(ScalarType.Float32) * scale;
            }
            else
            {
                file.Add(KeyValuePair.Create(prefix + key, value));
                dequantised[key] = value;
            }
        }
        SafetensorsWriter.Write(path, file);
        return dequantised;
    }

    [Theory]
    [InlineData("model.diffusion_model.", ".scale_weight")]
    [InlineData("", ".weight_scale")]
    public void Fp8_scaled_file_keeps_bytes_and_scale_and_computes_with_the_dequantised_weight(string prefix, string scaleSuffix)
    {
        using var dir = new TempDir();
        string path = dir.File("wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors");
        var dequantised = WriteFp8Scaled(path, TinyWanLike.RandomStateDict(), prefix, scaleSuffix);
        using var model = new TinyWanLike();
        var report = CheckpointLoader.Load(model, path);
        Assert.Equal(2 * 6 + 1, report.KeptFp8); // every Linear weight: per block q, k, v, o, ffn.0, ffn.2; and head
        var q = model.blocks[0].self_attn.q;
        Assert.Equal(Fp8Format.E4M3FN, q.Fp8);
        Assert.Contains("blocks.0.self_attn.q.scale_weight", model.state_dict().Keys);
        using var expected = Reference(dequantised);
        using var actual = model.forward(Input);
        // Both sides multiply the same fp8 values by the same fp32 scale: only summation order may differ.
        TensorAssert.Close(expected, actual, 1e-5);
    }

    [Fact]
    public void Fp8_weights_decoded_at_load_compute_the_same_as_kept_bytes()
    {
        using var dir = new TempDir();
        string path = dir.File("fp8.safetensors");
        WriteFp8Scaled(path, TinyWanLike.RandomStateDict(), "");
        using var kept = new TinyWanLike();
        using var decoded = new TinyWanLike();
        CheckpointLoader.Load(kept, path);
        var report = CheckpointLoader.Load(decoded, path, new WeightLoadOptions(KeepFp8: false));
        Assert.Equal(0, report.KeptFp8);
        Assert.Null(decoded.head.Fp8);
        Assert.Equal(ScalarType.Float32, decoded.head.weight.dtype);
        using var a = kept.forward(Input);
        using var b = decoded.forward(Input);
        TensorAssert.Close(b, a, 1e-5);
    }

    [Fact]
    public void Sharded_checkpoint_loads_through_its_index()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var keys = sd.Keys.Order().ToList();
        Write(dir.File("a.safetensors"), keys.Take(5).Select(k => KeyValuePair.Create(k, sd[k])));
        Write(dir.File("b.safetensors"), keys.Skip(5).Select(k => KeyValuePair.Create(k, sd[k])));
        var map = keys.ToDictionary(k => k, k => keys.IndexOf(k) < 5 ? "a.safetensors" : "b.safetensors");
        File.WriteAllText(dir.File("diffusion_pytorch_model.safetensors.index.json"), JsonSerializer.Serialize(new { weight_map = map }));
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("diffusion_pytorch_model.safetensors.index.json"));
        using var expected = Reference(sd);
        using var actual = model.forward(Input);
        TensorAssert.Equal(expected, actual);
    }

    [Fact]
    public void Memory_mapped_load_adopts_linear_weights_without_copying()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        Write(dir.File("wan.safetensors"), sd);
        using var model = new TinyWanLike();
        var report = CheckpointLoader.Load(model, dir.File("wan.safetensors"), new WeightLoadOptions(MemoryMap: true));
        Assert.Equal(2 * 6 + 1, report.Mapped);
        using var expected = Reference(sd);
        using var actual = model.forward(Input);
        TensorAssert.Equal(expected, actual);
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        using var model = new TinyWanLike();
        var e = Assert.Throws<WeightsMissingException>(() => CheckpointLoader.Load(model, "/nonexistent/wan2.2_i2v_low_noise_14B_fp16.safetensors"));
        Assert.Contains("/nonexistent/wan2.2_i2v_low_noise_14B_fp16.safetensors", e.Message);
    }

    [Fact]
    public void Missing_key_is_named_with_the_file()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        sd.Remove("blocks.1.ffn.2.bias");
        var e = LoadFails(dir, sd);
        Assert.Contains(dir.File("wan.safetensors"), e.Message);
        Assert.Contains("missing key 'blocks.1.ffn.2.bias'", e.Message);
    }

    [Fact]
    public void Extra_key_is_named_with_the_file()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        sd["blocks.0.self_attn.k_img.weight"] = randn(8, 8);
        var e = LoadFails(dir, sd);
        Assert.Contains(dir.File("wan.safetensors"), e.Message);
        Assert.Contains("unexpected key 'blocks.0.self_attn.k_img.weight'", e.Message);
    }

    [Fact]
    public void Mis_shaped_key_is_named_with_both_shapes()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        sd["diffusion_model.head.weight"] = randn(5, 8);
        sd.Remove("head.weight");
        var e = LoadFails(dir, sd.Select(kv => KeyValuePair.Create(kv.Key.StartsWith("diffusion_model.") ? kv.Key : "diffusion_model." + kv.Key, kv.Value)));
        Assert.Contains("'diffusion_model.head.weight' has shape [5,8], the model needs [4,8]", e.Message);
    }

    [Fact]
    public void Loaded_module_state_dict_keeps_the_checkpoint_key_names()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        Write(dir.File("wan.safetensors"), sd);
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("wan.safetensors"), new WeightLoadOptions(MemoryMap: true));
        Assert.Equal(sd.Keys.Order(), model.state_dict().Keys.Order());
    }
}

public class Fp8LinearBf16Tests
{
    [Fact]
    public void Fp8_linear_decodes_to_the_input_dtype_bf16()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        SafetensorsWriter.Write(dir.File("m.safetensors"), TinyWanLike.WithFp8Head(sd));
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("m.safetensors"));
        using var x = randn(3, TinyWanLike.Dim);
        using var y32 = model.head.forward(x);
        using var y16 = model.head.forward(x.to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, y16.dtype);
        // bf16 keeps 8 significant bits: relative error of a dot product of 8 terms stays well under 2e-2.
        TensorAssert.RelativelyClose(y32, y16.to(ScalarType.Float32), 2e-2);
    }
}
