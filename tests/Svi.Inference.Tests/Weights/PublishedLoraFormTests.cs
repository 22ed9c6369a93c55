namespace Svi.Inference.Tests.Weights;

/// <summary>
/// The published LoRA key sets (<see cref="PublishedLoraForms"/>) on a tiny Wan 2.2 I2V expert, through the production
/// expert loader. The expected weights are computed here from the file's tensors by their key suffixes alone.
/// </summary>
public class PublishedLoraFormTests
{
    static WanConfig Config => TinySviModels.Architecture.I2v;

    static string WriteExpert(TempDir dir)
    {
        string path = dir.File("expert.safetensors");
        using var model = new WanTransformer(Config);
        TinyCheckpoints.WriteModule(model, path, seed: 21);
        return path;
    }

    /// <summary>Base weights plus each key's delta as its suffix says (alpha/rank for kohya pairs with an alpha).</summary>
    static Dictionary<string, Tensor> Expected(string expert, IEnumerable<(string Path, double Strength)> loras)
    {
        using var baseFile = SafetensorsFile.Open(expert);
        var sd = baseFile.Entries.Keys.ToDictionary(k => k, k => baseFile.Read(k).to(ScalarType.Float64), StringComparer.Ordinal);
        foreach (var (path, strength) in loras)
        {
            using var file = SafetensorsFile.Open(path);
            string Strip(string key) => key.StartsWith("diffusion_model.", StringComparison.Ordinal) ? key["diffusion_model.".Length..] : key;
            foreach (var key in file.Entries.Keys)
            {
                string k = Strip(key);
                void Add(string parameter, Tensor delta)
                {
                    if (sd.TryGetValue(parameter, out var w)) sd[parameter] = w + strength * delta.to(ScalarType.Float64);
                }
                if (k.EndsWith(".lora_down.weight", StringComparison.Ordinal) || k.EndsWith(".lora_A.default.weight", StringComparison.Ordinal))
                {
                    bool kohya = k.EndsWith(".lora_down.weight", StringComparison.Ordinal);
                    string module = kohya ? k[..^".lora_down.weight".Length] : k[..^".lora_A.default.weight".Length];
                    var down = file.Read(key);
                    var up = file.Read(kohya ? key.Replace(".lora_down.", ".lora_up.") : key.Replace(".lora_A.", ".lora_B."));
                    string alphaKey = key[..^".lora_down.weight".Length] + ".alpha";
                    double factor = kohya && file.Entries.ContainsKey(alphaKey) ? file.Read(alphaKey).item<float>() / (double)down.shape[0] : 1.0;
                    Add(module + ".weight", factor * up.to(ScalarType.Float64).matmul(down.to(ScalarType.Float64)));
                }
                else if (k.EndsWith(".diff_b", StringComparison.Ordinal)) Add(k[..^".diff_b".Length] + ".bias", file.Read(key));
                else if (k.EndsWith(".diff_m", StringComparison.Ordinal)) Add(k[..^".diff_m".Length] + ".modulation", file.Read(key));
                else if (k.EndsWith(".diff", StringComparison.Ordinal)) Add(k[..^".diff".Length] + ".weight", file.Read(key));
            }
        }
        return sd;
    }

    static void AssertWeights(WanTransformer model, Dictionary<string, Tensor> expected)
    {
        var actual = model.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
            TensorAssert.Close(value, actual[name], 1e-5, name);
    }

    [Fact]
    public void Wan21_i2v_lightx2v_distill_merges_pairs_bias_norm_and_modulation_deltas_and_skips_the_image_branch()
    {
        using var dir = new TempDir();
        string expert = WriteExpert(dir);
        string distill = dir.File("Wan21_I2V_14B_lightx2v_cfg_step_distill_lora_rank64.safetensors");
        var keys = PublishedLoraForms.Wan21I2vLightx2v(Config, rank: 4, lightx2vHosted: true).ToList();
        PublishedLoraForms.Write(distill, keys, seed: 22);

        using var model = SviModelLoader.LoadExpert(Config, expert, [(distill, 0.5)], ScalarType.Float32, CPU);
        AssertWeights(model, Expected(expert, [(distill, 0.5)]));

        using var lora = LoraFile.Load(distill);
        using var fresh = SviModelLoader.LoadExpert(Config, expert, [], ScalarType.Float32, CPU);
        var fit = Lora.Apply(fresh, lora, 1.0, LoraMode.Merge);
        var imageBranch = keys.Select(k => k.Key).Where(k => k.Contains("_img") || k.Contains("img_emb")).Order().ToList();
        Assert.NotEmpty(imageBranch);
        Assert.Equal(imageBranch, fit.SkippedKeys.Order());
        Assert.Empty(fit.Misfits);
        var summary = fit.SkippedSummary()!;
        Assert.StartsWith($"{imageBranch.Count} keys for modules WanTransformer lacks", summary);
        Assert.Contains("diffusion_model.blocks.N.cross_attn.k_img.lora_down.weight", summary);
        Assert.Contains(fit.Diffs, d => d.Parameter == "blocks.0.modulation");
    }

    [Fact]
    public void Wan22_lightx2v_high_scales_by_alpha_over_rank_and_svi_pro_peft_adds_B_A_on_top()
    {
        using var dir = new TempDir();
        string expert = WriteExpert(dir);
        string distill = dir.File("Wan_2_2_I2V_A14B_HIGH_lightx2v_4step_lora_v1030_rank_64_bf16.safetensors");
        string svi = dir.File("SVI_Wan2.2-I2V-A14B_high_noise_lora_v2.0_pro.safetensors");
        PublishedLoraForms.Write(distill, PublishedLoraForms.Wan22Lightx2vHigh(Config, rank: 4), seed: 23, alpha: 2f);
        PublishedLoraForms.Write(svi, PublishedLoraForms.SviPro(Config, rank: 8), seed: 24);

        using var model = SviModelLoader.LoadExpert(Config, expert, [(svi, 1.0), (distill, 0.5)], ScalarType.Float32, CPU);
        AssertWeights(model, Expected(expert, [(svi, 1.0), (distill, 0.5)]));
        using var lora = LoraFile.Load(distill);
        Assert.All(lora.Patches, p => Assert.Equal(0.5, p.Factor)); // alpha 2 / rank 4
    }

    [Fact]
    public void A_lora_for_another_model_fails_naming_the_file_and_changes_nothing()
    {
        using var dir = new TempDir();
        string expert = WriteExpert(dir);
        string other = dir.File("lora_for_a_wider_model.safetensors");
        PublishedLoraForms.Write(other, PublishedLoraForms.Wan22Lightx2vHigh(Config with { Dim = 48, FfnDim = 96 }, rank: 4), seed: 25);
        using var model = SviModelLoader.LoadExpert(Config, expert, [], ScalarType.Float32, CPU);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var e = Assert.Throws<CheckpointFormatException>(() => Lora.Apply(model, other, 1.0, LoraMode.Merge));
        Assert.Contains(other, e.Message);
        Assert.Contains("only 0 of its 10 updates", e.Message);
        foreach (var (name, value) in model.state_dict()) TensorAssert.Equal(before[name], value, name);
    }

    [Fact]
    public void A_file_is_refused_when_fewer_than_half_of_its_updates_fit_and_accepted_at_half()
    {
        using var dir = new TempDir();
        string expert = WriteExpert(dir);
        // Every pair of the Wan 2.1 file: all but the image branch's fit.
        var wan21 = PublishedLoraForms.Wan21I2vLightx2v(Config, rank: 4).Where(k => k.Key.Contains(".lora_")).ToList();
        string mostlyFits = dir.File("mostly.safetensors");
        PublishedLoraForms.Write(mostlyFits, wan21, seed: 26);
        using var model = SviModelLoader.LoadExpert(Config, expert, [], ScalarType.Float32, CPU);
        int fitting = wan21.Count(k => k.Key.EndsWith(".lora_down.weight", StringComparison.Ordinal) && !k.Key.Contains("img"));
        Assert.Equal(fitting, Lora.Apply(model, mostlyFits, 1.0, LoraMode.OnTheFly).Matched);

        // Only the image branch and one real layer: 1 of 5 pairs fits.
        string mostlyForeign = dir.File("image_branch_only.safetensors");
        PublishedLoraForms.Write(mostlyForeign, wan21.Where(k => k.Key.Contains("img") || k.Key.Contains("blocks.0.self_attn.q.")), seed: 27);
        var e = Assert.Throws<CheckpointFormatException>(() => Lora.Apply(model, mostlyForeign, 1.0, LoraMode.Merge));
        Assert.Contains(mostlyForeign, e.Message);
        Assert.Contains("only 1 of its", e.Message);
    }

    [Fact]
    public void The_parser_reads_every_published_suffix()
    {
        var keys = LoraKeys.Parse(PublishedLoraForms.Wan21I2vLightx2v(Config, rank: 4, lightx2vHosted: true)
            .Concat(PublishedLoraForms.SviPro(Config, rank: 4)));
        Assert.Empty(keys.Problems);
        Assert.Contains(keys.Diffs, d => d.Kind == LoraDiffKind.Modulation && d.Target == "diffusion_model.blocks.0");
        Assert.Contains(keys.Diffs, d => d.Kind == LoraDiffKind.Bias && d.Target == "diffusion_model.blocks.0.ffn.0");
        Assert.Contains(keys.Diffs, d => d.Kind == LoraDiffKind.Weight && d.Target == "diffusion_model.blocks.0.norm3");
        Assert.Contains(keys.Pairs, p => p.Convention == LoraConvention.Peft && p.Target == "blocks.0.ffn.2" && p.AlphaKey is null);
        Assert.Contains(keys.Pairs, p => p.Convention == LoraConvention.Kohya && p.Target == "diffusion_model.img_emb.proj.1");
    }
}
