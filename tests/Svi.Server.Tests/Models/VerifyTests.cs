using Svi.Inference.Interpolation;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights.Layouts;

namespace Svi.Server.Tests.Models;

/// <summary>verify against real-size headers (sparse files): the full 14B layout is checked without 14 GB of disk.</summary>
public sealed class VerifyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-verify-").FullName;
    // Sizes and checksums off: these files have real headers but made-up lengths.
    readonly ModelManifest manifest = ModelManifest.Default() is var m
        ? m with { Files = m.Files.Select(f => f with { Size = null, Sha256 = null }).ToList() } : null!;
    ModelInventory Inventory => new(manifest, dir);

    string PathOf(string variant, ModelRole role) => Path.Combine(dir, manifest.FilesOf(variant).First(f => f.Role == role && f.Format == "safetensors").Path);

    /// <summary>Comfy scaled-FP8 style: matrices in F8_E4M3 with a scale each, everything else BF16, plus the marker.</summary>
    static IEnumerable<(string, string, long[])> ScaledFp8(IReadOnlyDictionary<string, long[]> shapes)
    {
        foreach (var (k, s) in shapes)
        {
            bool matrix = s.Length == 2 && k.EndsWith(".weight", StringComparison.Ordinal);
            yield return (k, matrix ? "F8_E4M3" : "BF16", s);
            if (matrix) yield return (k[..^".weight".Length] + ".scale_weight", "F32", []);
        }
        yield return ("scaled_fp8", "F8_E4M3", [0]);
    }

    static IEnumerable<(string, string, long[])> Lora(WanConfig dit, int rank, Func<string, bool>? keep = null)
    {
        for (int i = 0; i < dit.NumLayers; i++)
            foreach (var (m, o, n) in WanDitLayout.BlockLinears(dit))
            {
                string module = $"blocks.{i}.{m}";
                if (keep is not null && !keep(module)) continue;
                yield return ($"{module}.lora_A.default.weight", "BF16", [rank, n]);
                yield return ($"{module}.lora_B.default.weight", "BF16", [o, rank]);
            }
    }

    void WriteFp8Dit(ModelRole role, WanConfig shape) =>
        FakeSafetensors.Write(PathOf("fp8", role), ScaledFp8(WanDitLayout.Tensors(shape)));

    VerifyResult ResultFor(string variant, ModelRole role) =>
        Inventory is var inv ? new ModelVerifier(inv).Verify(variant, checkSha256: false).First(r => r.File.Role == role && r.File.Format == "safetensors")
            : throw new InvalidOperationException();

    [Fact]
    public void The_i2v_transformer_table_has_the_a14b_parameter_count()
    {
        var t = WanDitLayout.Tensors(WanConfig.I2vA14B);
        Assert.Equal(1095, t.Count);
        long parameters = t.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        // ≈14.3e9 per expert (Wan2.2 A14B); FP8 file of 14,294,742,832 bytes ≈ 1 byte per matrix weight.
        Assert.InRange(parameters, 14_200_000_000, 14_400_000_000);
    }

    [Fact]
    public void A_correct_scaled_fp8_expert_passes()
    {
        WriteFp8Dit(ModelRole.DitHigh, WanConfig.I2vA14B);
        var r = ResultFor("fp8", ModelRole.DitHigh);
        Assert.Equal(VerifyStatus.Ok, r.Status);
    }

    [Fact]
    public void A_t2v_expert_in_the_i2v_slot_fails_naming_the_patch_embedding()
    {
        WriteFp8Dit(ModelRole.DitHigh, WanConfig.T2vA14B);
        var r = ResultFor("fp8", ModelRole.DitHigh);
        Assert.Equal(VerifyStatus.WrongLayout, r.Status);
        Assert.Contains(r.Problems, p => p.Contains("patch_embedding.weight is [5120, 16, 1, 2, 2], expected [5120, 36, 1, 2, 2]"));
    }

    [Fact]
    public void A_wan21_i2v_checkpoint_with_a_clip_branch_fails_on_its_extra_tensors()
    {
        var tensors = ScaledFp8(WanDitLayout.Tensors(WanConfig.I2vA14B)).ToList();
        tensors.Add(("img_emb.proj.1.weight", "BF16", [1280, 1280]));
        tensors.Add(("blocks.0.cross_attn.k_img.weight", "F8_E4M3", [5120, 5120]));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DitLow), tensors);
        var r = ResultFor("fp8", ModelRole.DitLow);
        Assert.Equal(VerifyStatus.WrongLayout, r.Status);
        Assert.Contains(r.Problems, p => p.Contains("2 tensors do not belong") && p.Contains("img_emb.proj.1.weight"));
    }

    [Fact]
    public void An_fp8_file_in_the_bf16_variant_fails_on_its_dtypes_and_shards_are_checked_together()
    {
        var bf16Shards = manifest.FilesOf("bf16").Where(f => f.Role == ModelRole.DitHigh && f.Format == "safetensors").ToList();
        var all = WanDitLayout.Tensors(WanConfig.I2vA14B).ToList();
        for (int s = 0; s < bf16Shards.Count; s++)
            FakeSafetensors.Write(Path.Combine(dir, bf16Shards[s].Path),
                all.Where((_, i) => i % bf16Shards.Count == s).Select(kv => (kv.Key, "F32", kv.Value)));
        Assert.Equal(VerifyStatus.Ok, ResultFor("bf16", ModelRole.DitHigh).Status);

        FakeSafetensors.Write(Path.Combine(dir, bf16Shards[0].Path),
            all.Where((_, i) => i % bf16Shards.Count == 0).Select(kv => (kv.Key, "F8_E4M3", kv.Value)));
        var r = ResultFor("bf16", ModelRole.DitHigh);
        Assert.Equal(VerifyStatus.WrongLayout, r.Status);
        Assert.Contains(r.Problems, p => p.Contains("dtype a bf16 file does not use") && p.Contains("(F8_E4M3)"));
        Assert.Contains(r.Problems, p => p.StartsWith("checked together with diffusion_pytorch_model-00001-of-00006.safetensors"));
    }

    [Fact]
    public void A_tensor_in_two_shards_is_reported()
    {
        var shards = manifest.FilesOf("bf16").Where(f => f.Role == ModelRole.DitLow && f.Format == "safetensors").ToList();
        foreach (var s in shards) FakeSafetensors.Write(Path.Combine(dir, s.Path), [("head.modulation", "F32", [1, 2, 5120])]);
        Assert.Contains(ResultFor("bf16", ModelRole.DitLow).Problems, p => p.Contains("head.modulation appears in more than one shard"));
    }

    [Fact]
    public void A_comfy_prefixed_checkpoint_is_read_with_the_prefix_stripped()
    {
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DitHigh),
            ScaledFp8(WanDitLayout.Tensors(WanConfig.I2vA14B)).Select(t => ("model.diffusion_model." + t.Item1, t.Item2, t.Item3)));
        Assert.Equal(VerifyStatus.Ok, ResultFor("fp8", ModelRole.DitHigh).Status);
    }

    [Fact]
    public void The_svi_lora_needs_all_400_block_linears_with_one_rank()
    {
        string path = PathOf("fp8", ModelRole.LoraHigh);
        FakeSafetensors.Write(path, Lora(WanConfig.I2vA14B, 128));
        Assert.Equal(VerifyStatus.Ok, ResultFor("fp8", ModelRole.LoraHigh).Status);

        FakeSafetensors.Write(path, Lora(WanConfig.I2vA14B, 128, m => m != "blocks.39.ffn.2"));
        var r = ResultFor("fp8", ModelRole.LoraHigh);
        Assert.Contains(r.Problems, p => p.Contains("1 of 400 block linears have no LoRA pair") && p.Contains("blocks.39.ffn.2"));
    }

    [Fact]
    public void A_lora_for_another_model_fails_on_its_feature_sizes()
    {
        // a Wan 1.3B LoRA (dim 1536) on the A14B slot
        var small = WanConfig.I2vA14B with { Dim = 1536, FfnDim = 8960, NumLayers = 30 };
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraLow), Lora(small, 64));
        var r = ResultFor("fp8", ModelRole.DistillLoraLow);
        Assert.Equal(VerifyStatus.WrongLayout, r.Status);
        Assert.Contains(r.Problems, p => p.Contains("only 0 of its") && p.Contains("whose weight is [5120, 5120]"));
    }

    [Fact]
    public void Distill_loras_may_carry_alphas_and_full_bias_deltas_of_real_layers()
    {
        var tensors = Lora(WanConfig.I2vA14B, 64).ToList();
        tensors.Add(("blocks.0.self_attn.q.alpha", "F32", []));
        tensors.Add(("blocks.0.norm3.diff_b", "BF16", [5120]));
        tensors.Add(("head.head.diff_b", "BF16", [64]));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraHigh), tensors);
        Assert.Equal(VerifyStatus.Ok, ResultFor("fp8", ModelRole.DistillLoraHigh).Status);
    }

    [Fact]
    public void The_published_lora_key_forms_pass_verify_through_the_loaders_parser()
    {
        var a14b = WanConfig.I2vA14B;
        (string, string, long[]) Bf16((string Key, long[] Shape) k) => (k.Key, k.Key.EndsWith(".alpha", StringComparison.Ordinal) ? "F32" : "BF16", k.Shape);
        FakeSafetensors.Write(PathOf("fp8", ModelRole.LoraHigh), PublishedLoraForms.SviPro(a14b, 128).Select(Bf16));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraHigh), PublishedLoraForms.Wan22Lightx2vHigh(a14b, 64).Select(Bf16));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraLow), PublishedLoraForms.Wan21I2vLightx2v(a14b, 64).Select(Bf16));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.T2vDistillLoraHigh), PublishedLoraForms.Wan22Lightx2vHigh(WanConfig.T2vA14B, 64).Select(Bf16));
        foreach (var role in new[] { ModelRole.LoraHigh, ModelRole.DistillLoraHigh, ModelRole.DistillLoraLow, ModelRole.T2vDistillLoraHigh })
        {
            var r = ResultFor("fp8", role);
            Assert.True(r.Status == VerifyStatus.Ok, $"{role}: {string.Join("; ", r.Problems)}");
        }
        // LightX2V's own upload of the distill (blocks.N.diff_m as well) passes in the low distill's place too.
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraLow),
            PublishedLoraForms.Wan21I2vLightx2v(a14b, 64, lightx2vHosted: true).Select(Bf16));
        var hosted = ResultFor("fp8", ModelRole.DistillLoraLow);
        Assert.True(hosted.Status == VerifyStatus.Ok, string.Join("; ", hosted.Problems));
    }

    [Fact]
    public void A_lora_whose_updates_mostly_target_modules_the_model_lacks_fails_verify_naming_the_counts()
    {
        // only the Wan 2.1 image branch and one real layer: 1 of 5 pairs fits
        var keys = PublishedLoraForms.Wan21I2vLightx2v(WanConfig.I2vA14B, 64)
            .Where(k => k.Key.Contains(".lora_") && (k.Key.Contains("img") || k.Key.Contains("blocks.0.self_attn.q.")))
            .Where(k => !k.Key.Contains("blocks.") || k.Key.Contains("blocks.0."));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.DistillLoraLow), keys.Select(k => (k.Key, "BF16", k.Shape)));
        var r = ResultFor("fp8", ModelRole.DistillLoraLow);
        Assert.Equal(VerifyStatus.WrongLayout, r.Status);
        Assert.Contains(r.Problems, p => p.Contains("only 1 of its 5 updates") && p.Contains("cross_attn.k_img"));
    }

    [Fact]
    public void Comfy_umt5_with_its_embedded_spiece_model_u8_tensor_passes_verify()
    {
        var tensors = ScaledFp8(Umt5TransformersNames.Renamed(Umt5EncoderLayout.Tensors(Umt5Config.Xxl))).Append((Umt5EncoderLayout.EmbeddedTokenizerKey, "U8", new long[] { 4_548_313 }));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.TextEncoder), tensors);
        var r = ResultFor("fp8", ModelRole.TextEncoder);
        Assert.True(r.Status == VerifyStatus.Ok, string.Join("; ", r.Problems));
        // any other U8 tensor is still refused
        FakeSafetensors.Write(PathOf("fp8", ModelRole.TextEncoder), tensors.Append(("shared.extra", "U8", new long[] { 4 })));
        Assert.Equal(VerifyStatus.WrongLayout, ResultFor("fp8", ModelRole.TextEncoder).Status);
    }

    [Fact]
    public void The_text_encoder_and_vae_are_checked_against_their_tables()
    {
        FakeSafetensors.Write(PathOf("fp8", ModelRole.TextEncoder), ScaledFp8(Umt5TransformersNames.Renamed(Umt5EncoderLayout.Tensors(Umt5Config.Xxl))));
        FakeSafetensors.Write(PathOf("fp8", ModelRole.Vae), WanVaeLayout.Tensors(WanVaeConfig.Wan21).Select(kv => (kv.Key, "BF16", kv.Value)));
        Assert.Equal(VerifyStatus.Ok, ResultFor("fp8", ModelRole.TextEncoder).Status);
        Assert.Equal(VerifyStatus.Ok, ResultFor("fp8", ModelRole.Vae).Status);

        // the Wan 2.2 VAE (z_dim 48) is the classic wrong download
        var wan22 = WanVaeLayout.Tensors(WanVaeConfig.Wan21);
        wan22["conv2.weight"] = [48, 48, 1, 1, 1];
        FakeSafetensors.Write(PathOf("fp8", ModelRole.Vae), wan22.Select(kv => (kv.Key, "BF16", kv.Value)));
        Assert.Contains(ResultFor("fp8", ModelRole.Vae).Problems, p => p.Contains("conv2.weight is [48, 48, 1, 1, 1]"));
    }

    [Fact]
    public void Missing_wrong_size_and_non_checkpoint_files_are_each_named()
    {
        var vae = manifest.FilesOf("bf16").Single(f => f.Role == ModelRole.Vae);
        var spiece = manifest.FilesOf("bf16").Single(f => f.Path.EndsWith("spiece.model", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, vae.Path))!);
        File.WriteAllText(Path.Combine(dir, vae.Path), "<html>rate limited</html>");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, spiece.Path))!);
        File.WriteAllBytes(Path.Combine(dir, spiece.Path), [0x0A, 0x05, 0x0A]);
        var fp8Vae = manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.Vae);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, fp8Vae.Path))!);
        File.WriteAllBytes(Path.Combine(dir, fp8Vae.Path), new byte[10]);

        var bf16 = new ModelVerifier(Inventory).Verify("bf16", checkSha256: false);
        Assert.Equal(VerifyStatus.WrongLayout, bf16.Single(r => r.File == vae).Status);
        Assert.Contains("PK header", bf16.Single(r => r.File == vae).Problems[0]);
        Assert.Equal(VerifyStatus.Ok, bf16.Single(r => r.File == spiece).Status);
        Assert.Equal(VerifyStatus.Missing, bf16.First(r => r.File.Role == ModelRole.DitHigh).Status);
        var sized = new ModelInventory(ModelManifest.Default(), dir);
        var fp8 = new ModelVerifier(sized).Verify("fp8", checkSha256: false);
        Assert.Equal(VerifyStatus.WrongSize, fp8.Single(r => r.File.Path == fp8Vae.Path).Status);
    }

    [Fact]
    public void An_index_json_that_names_unknown_shards_fails()
    {
        var index = manifest.FilesOf("bf16").Single(f => f.Role == ModelRole.DitHigh && f.Architecture == "safetensors-index");
        string path = Path.Combine(dir, index.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"weight_map": {"a": "diffusion_pytorch_model-00001-of-00006.safetensors", "b": "model-00001-of-00002.safetensors"}}""");
        var r = new ModelVerifier(Inventory).Verify("bf16", false).Single(r => r.File == index);
        Assert.Contains("model-00001-of-00002.safetensors", Assert.Single(r.Problems));
    }

    [Fact]
    public void The_rife_file_is_checked_by_its_onnx_inputs_and_outputs()
    {
        var rife = manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.Interpolation);
        string path = Path.Combine(dir, rife.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        VerifyResult Check() => new ModelVerifier(Inventory).Verify("fp8", false).Single(r => r.File == rife);

        LinearBlendRifeGraph.Write(path);
        Assert.Equal(VerifyStatus.Ok, Check().Status);

        LinearBlendRifeGraph.Write(path, firstInput: "input");
        Assert.Equal(VerifyStatus.WrongLayout, Check().Status);
        Assert.Contains(Check().Problems, p => p.Contains("'img0'"));

        File.WriteAllText(path, "<html>rate limited</html>");
        Assert.Contains("not an ONNX graph", Assert.Single(Check().Problems));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
