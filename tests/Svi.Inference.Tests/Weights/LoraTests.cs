using Svi.Kernels.Fp8;

namespace Svi.Inference.Tests.Weights;

public class LoraTests
{
    const int Rank = 2;
    static readonly Tensor Input = randn(new long[] { 3, TinyWanLike.Dim }, generator: new Generator(11));

    static TinyWanLike Loaded(TempDir dir, Dictionary<string, Tensor> sd)
    {
        string path = dir.File("base.safetensors");
        if (!File.Exists(path)) SafetensorsWriter.Write(path, sd);
        var model = new TinyWanLike();
        CheckpointLoader.Load(model, path);
        return model;
    }

    /// <summary>A random pair for each of the given layers: (A [r, in], B [out, r]) by official module path.</summary>
    static Dictionary<string, (Tensor A, Tensor B)> RandomPairs(params string[] paths)
    {
        var generator = new Generator(3);
        using var shapes = new TinyWanLike();
        var sd = shapes.state_dict();
        return paths.ToDictionary(p => p, p =>
        {
            var w = sd[p + ".weight"];
            return (randn(new[] { Rank, w.shape[1] }, generator: generator), randn(new[] { w.shape[0], Rank }, generator: generator));
        });
    }

    /// <summary>The expected output: every target's weight replaced by W + factor·B·A, computed by hand.</summary>
    static Tensor ExpectedWithDeltas(Dictionary<string, Tensor> sd, Dictionary<string, (Tensor A, Tensor B)> pairs, double factor)
    {
        var patched = sd.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        foreach (var (path, (a, b)) in pairs) patched[path + ".weight"] = patched[path + ".weight"] + factor * b.matmul(a);
        using var model = new TinyWanLike();
        using (no_grad()) foreach (var (name, t) in model.state_dict()) t.copy_(patched[name]);
        return model.forward(Input);
    }

    static readonly string[] Targets = ["blocks.0.self_attn.q", "blocks.1.ffn.2", "head"];

    static string PeftA(string path) => $"diffusion_model.{path}.lora_A.weight";
    static string PeftB(string path) => $"diffusion_model.{path}.lora_B.weight";

    /// <summary>Each pair under the names the two functions give its A (down) and B (up) matrix.</summary>
    static IEnumerable<KeyValuePair<string, Tensor>> Entries(Dictionary<string, (Tensor A, Tensor B)> pairs,
        Func<string, string> nameA, Func<string, string> nameB) =>
        pairs.SelectMany(kv => new[] { KeyValuePair.Create(nameA(kv.Key), kv.Value.A), KeyValuePair.Create(nameB(kv.Key), kv.Value.B) });

    /// <summary>A random pair for a layer the tiny model lacks (it has two blocks).</summary>
    static KeyValuePair<string, Tensor>[] Unfit(int block) =>
        [KeyValuePair.Create(PeftA($"blocks.{block}.self_attn.q"), randn(Rank, 8)), KeyValuePair.Create(PeftB($"blocks.{block}.self_attn.q"), randn(8, Rank))];

    /// <summary>Merges the file into the model loaded from <paramref name="sd"/> and checks the output against W + factor·B·A by hand.</summary>
    static LoraFit AssertMergesAs(TempDir dir, Dictionary<string, Tensor> sd, string file, double strength,
        Dictionary<string, (Tensor A, Tensor B)> pairs, double factor)
    {
        using var model = Loaded(dir, sd);
        var fit = Lora.Apply(model, dir.File(file), strength, LoraMode.Merge);
        using var expected = ExpectedWithDeltas(sd, pairs, factor);
        using var actual = model.forward(Input);
        TensorAssert.Close(expected, actual, 1e-5);
        return fit;
    }

    [Theory]
    [InlineData("diffusion_model.{0}.lora_A.weight", "diffusion_model.{0}.lora_B.weight")]
    [InlineData("{0}.lora_A.weight", "{0}.lora_B.weight")]
    [InlineData("diffusion_model.{0}.lora_A.default.weight", "diffusion_model.{0}.lora_B.default.weight")]
    [InlineData("base_model.model.{0}.lora_A.default.weight", "base_model.model.{0}.lora_B.default.weight")]
    public void Peft_lora_merges_as_W_plus_strength_B_A_with_no_alpha_factor(string aPattern, string bPattern)
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs(Targets);
        var file = new List<KeyValuePair<string, Tensor>>();
        foreach (var (path, (a, b)) in pairs)
        {
            file.Add(KeyValuePair.Create(string.Format(aPattern, path), a));
            file.Add(KeyValuePair.Create(string.Format(bPattern, path), b));
            // The SVI reference ignores alpha in PEFT files: a factor alpha/rank = 8 here would be visible.
            file.Add(KeyValuePair.Create(string.Format(aPattern, path).Replace(".lora_A", "").Replace(".default", "").Replace(".weight", ".alpha"), tensor(16f)));
        }
        SafetensorsWriter.Write(dir.File("svi_lora.safetensors"), file);
        AssertMergesAs(dir, sd, "svi_lora.safetensors", strength: 0.7, pairs, factor: 0.7);
    }

    [Fact]
    public void Kohya_lora_with_flattened_names_scales_by_alpha_over_rank()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs(Targets);
        var file = new List<KeyValuePair<string, Tensor>>();
        foreach (var (path, (a, b)) in pairs)
        {
            string flat = "lora_unet_" + path.Replace('.', '_');
            file.Add(KeyValuePair.Create(flat + ".lora_down.weight", a));
            file.Add(KeyValuePair.Create(flat + ".lora_up.weight", b));
            file.Add(KeyValuePair.Create(flat + ".alpha", tensor(1f)));
        }
        SafetensorsWriter.Write(dir.File("kohya.safetensors"), file);
        AssertMergesAs(dir, sd, "kohya.safetensors", strength: 1.0, pairs, factor: 1.0 / Rank);
    }

    [Fact]
    public void Dotted_lora_down_up_without_alpha_applies_with_factor_one()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs(Targets);
        SafetensorsWriter.Write(dir.File("lightx2v.safetensors"),
            Entries(pairs, p => $"diffusion_model.{p}.lora_down.weight", p => $"diffusion_model.{p}.lora_up.weight"));
        AssertMergesAs(dir, sd, "lightx2v.safetensors", strength: 1.0, pairs, factor: 1.0);
    }

    [Fact]
    public void Diffusers_names_map_to_the_official_layers()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs("blocks.0.self_attn.q", "blocks.1.self_attn.o", "blocks.0.ffn.0", "blocks.1.ffn.2");
        var diffusersName = new Dictionary<string, string>
        {
            ["blocks.0.self_attn.q"] = "transformer.blocks.0.attn1.to_q",
            ["blocks.1.self_attn.o"] = "transformer.blocks.1.attn1.to_out.0",
            ["blocks.0.ffn.0"] = "transformer.blocks.0.ffn.net.0.proj",
            ["blocks.1.ffn.2"] = "transformer.blocks.1.ffn.net.2",
        };
        SafetensorsWriter.Write(dir.File("diffusers.safetensors"),
            Entries(pairs, p => $"{diffusersName[p]}.lora_A.weight", p => $"{diffusersName[p]}.lora_B.weight"));
        AssertMergesAs(dir, sd, "diffusers.safetensors", strength: 1.0, pairs, factor: 1.0);
    }

    [Fact]
    public void Merged_and_on_the_fly_give_the_same_output_and_on_the_fly_is_removable()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs(Targets);
        SafetensorsWriter.Write(dir.File("lora.safetensors"), Entries(pairs, PeftA, PeftB));
        using var merged = Loaded(dir, sd);
        using var onTheFly = Loaded(dir, sd);
        using var plain = Loaded(dir, sd);
        Lora.Apply(merged, dir.File("lora.safetensors"), 1.0, LoraMode.Merge);
        Lora.Apply(onTheFly, dir.File("lora.safetensors"), 1.0, LoraMode.OnTheFly);
        using var a = merged.forward(Input);
        using var b = onTheFly.forward(Input);
        // fp32, weights ~0.5, rank 2: the two orders of summation agree to ~1e-6.
        TensorAssert.Close(b, a, 1e-5);
        TensorAssert.Differ(a, plain.forward(Input), 1e-2);

        Lora.Remove(onTheFly);
        using var restored = onTheFly.forward(Input);
        using var original = plain.forward(Input);
        TensorAssert.Equal(original, restored);
    }

    [Fact]
    public void Merge_on_an_fp8_layer_falls_back_to_on_the_fly()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        SafetensorsWriter.Write(dir.File("fp8.safetensors"), TinyWanLike.WithFp8Head(sd));
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("fp8.safetensors"));
        var pairs = RandomPairs("head");
        SafetensorsWriter.Write(dir.File("lora.safetensors"), Entries(pairs, p => $"{p}.lora_A.weight", p => $"{p}.lora_B.weight"));
        using var before = model.forward(Input);
        Lora.Apply(model, dir.File("lora.safetensors"), 1.0, LoraMode.Merge);
        Assert.Single(model.head.Adapters);
        Assert.Equal(Fp8Format.E4M3FN, model.head.Fp8);
        using var after = model.forward(Input);
        using var delta = nn.functional.linear(nn.functional.linear(model.blocks[1].forward(model.blocks[0].forward(Input)), pairs["head"].A), pairs["head"].B);
        TensorAssert.Close(delta, after - before, 1e-5);
    }

    [Fact]
    public void Lora_targets_the_model_lacks_are_skipped_while_at_least_half_fit()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs("head");
        SafetensorsWriter.Write(dir.File("half.safetensors"), [.. Entries(pairs, PeftA, PeftB), .. Unfit(5)]);
        var fit = AssertMergesAs(dir, sd, "half.safetensors", strength: 1.0, pairs, factor: 1.0);
        Assert.Equal(["diffusion_model.blocks.5.self_attn.q.lora_A.weight", "diffusion_model.blocks.5.self_attn.q.lora_B.weight"], fit.SkippedKeys);
    }

    [Fact]
    public void Lora_with_fewer_than_half_fitting_is_named_with_file_and_key_and_changes_nothing()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        var pairs = RandomPairs("head");
        SafetensorsWriter.Write(dir.File("bad.safetensors"), [.. Entries(pairs, PeftA, PeftB), .. Unfit(5), .. Unfit(6)]);
        using var model = Loaded(dir, sd);
        using var before = model.forward(Input);
        var e = Assert.Throws<CheckpointFormatException>(() => Lora.Apply(model, dir.File("bad.safetensors"), 1.0, LoraMode.Merge));
        Assert.Contains(dir.File("bad.safetensors"), e.Message);
        Assert.Contains("only 1 of its 3 updates", e.Message);
        Assert.Contains("diffusion_model.blocks.N.self_attn.q.lora_A.weight ×2", e.Message);
        using var after = model.forward(Input);
        TensorAssert.Equal(before, after);
    }

    [Fact]
    public void Mis_shaped_lora_is_named_with_file_key_and_shapes()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("bad.safetensors"),
            [KeyValuePair.Create("head.lora_A.weight", randn(Rank, 8)), KeyValuePair.Create("head.lora_B.weight", randn(6, Rank))]);
        using var model = Loaded(dir, TinyWanLike.RandomStateDict());
        var e = Assert.Throws<CheckpointFormatException>(() => Lora.Apply(model, dir.File("bad.safetensors"), 1.0, LoraMode.OnTheFly));
        Assert.Contains(dir.File("bad.safetensors"), e.Message);
        Assert.Contains("'head.lora_A.weight' gives a [6, 8] update for 'head', whose weight is [4, 8]", e.Message);
    }

    [Fact]
    public void Unpaired_or_foreign_keys_in_a_lora_file_are_named()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("bad.safetensors"),
            [KeyValuePair.Create("head.lora_A.weight", randn(Rank, 8)), KeyValuePair.Create("head.weight", randn(4, 8))]);
        var e = Assert.Throws<CheckpointFormatException>(() => LoraFile.Load(dir.File("bad.safetensors")));
        Assert.Contains("'head.lora_A.weight' has no matching up/B matrix", e.Message);
        Assert.Contains("'head.weight' is not a LoRA key", e.Message);
    }

    [Fact]
    public void Missing_lora_file_is_named()
    {
        var e = Assert.Throws<WeightsMissingException>(() => LoraFile.Load("/nonexistent/SVI_v2_PRO_Wan2.2-I2V-A14B_HIGH_lora_rank_128_fp16.safetensors"));
        Assert.Contains("SVI_v2_PRO_Wan2.2-I2V-A14B_HIGH_lora_rank_128_fp16.safetensors", e.Message);
    }

    [Fact]
    public void Full_diff_entries_are_added_to_weights_and_biases()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        using var diffNorm = randn(8);
        using var diffBias = randn(4);
        SafetensorsWriter.Write(dir.File("diff.safetensors"),
            [KeyValuePair.Create("diffusion_model.blocks.0.norm3.diff", diffNorm), KeyValuePair.Create("diffusion_model.head.diff_b", diffBias)]);
        using var model = Loaded(dir, sd);
        Lora.Apply(model, dir.File("diff.safetensors"), 0.5, LoraMode.OnTheFly);
        using var norm3 = sd["blocks.0.norm3"] + 0.5f * diffNorm;
        using var bias = sd["head.bias"] + 0.5f * diffBias;
        TensorAssert.Close(norm3, model.blocks[0].norm3, 1e-6);
        TensorAssert.Close(bias, model.head.bias!, 1e-6);
    }

    [Fact]
    public void Svi_golden_lora_reads_as_peft_pairs_with_factor_one()
    {
        string path = Path.Combine(GoldenSets.Path("svi_pipeline"), "lora_high.safetensors");
        using var lora = LoraFile.Load(path);
        Assert.NotEmpty(lora.Patches);
        Assert.All(lora.Patches, p =>
        {
            Assert.Equal(LoraConvention.Peft, p.Convention);
            Assert.Equal(1.0, p.Factor);
            Assert.StartsWith("diffusion_model.blocks.", p.Target);
        });
    }
}
