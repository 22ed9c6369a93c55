namespace Svi.Server.Tests.Models;

public sealed class InventoryTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-inv-").FullName;
    readonly ModelManifest manifest = ModelManifest.Default();

    void Install(ManifestFile f)
    {
        string path = Path.Combine(dir, f.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var s = File.Create(path);
        s.SetLength(f.Size ?? 1); // sparse: sizes only
    }

    void InstallMode(string variant, string mode, string recipe = "distilled")
    {
        var roles = manifest.RolesFor(new ModelInventory(manifest, dir, variant, recipe).DefaultChoice(mode))!;
        foreach (var f in manifest.FilesOf(variant).Where(f => roles.Contains(f.Role))) Install(f);
    }

    [Fact]
    public void The_default_recipes_loras_gate_readiness_and_the_reference_recipe_needs_none()
    {
        InstallMode("fp8", ModelManifest.ImageToVideo, "reference");
        var distilled = new ModelInventory(manifest, dir, "fp8", "distilled").Check();
        Assert.False(distilled.ImageToVideo);
        Assert.Equal("fp8", distilled.Variant);
        Assert.Contains("loras/distill/lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors", distilled.Missing);
        Assert.Contains("loras/distill/Wan_2_2_I2V_A14B_HIGH_lightx2v_4step_lora_v1030_rank_64_bf16.safetensors", distilled.Missing);
        Assert.Contains("./svi models pull --variant fp8", distilled.Hint);
        Assert.True(new ModelInventory(manifest, dir, "fp8", "reference").Check().ImageToVideo);

        InstallMode("fp8", ModelManifest.ImageToVideo, "distilled");
        Assert.True(new ModelInventory(manifest, dir, "fp8", "distilled").Check().ImageToVideo);
    }

    [Fact]
    public void A_comfyui_models_folder_with_kijais_repackaged_files_serves_image_to_video_as_it_is()
    {
        // What the public Pro workflow loads, where ComfyUI keeps it: Kijai's experts and SVI LoRAs, the distill LoRAs in
        // loras/, Comfy-Org's text encoder (whose spiece_model tensor is the tokenizer, as in ComfyUI) and VAE.
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);
        var inventory = new ModelInventory(manifest, dir, "fp8", "distilled");

        var a = inventory.Check();

        Assert.True(a.ImageToVideo, string.Join(", ", a.Missing));
        Assert.Equal(Path.Combine(dir, "diffusion_models", "Wan2_2-I2V-A14B-HIGH_fp8_e4m3fn_scaled_KJ.safetensors"), a.Files!.Get(ModelRole.DitHigh).Single());
        Assert.Equal(Path.Combine(dir, "loras", "SVI_v2_PRO_Wan2.2-I2V-A14B_LOW_lora_rank_128_fp16.safetensors"), a.Files.Get(ModelRole.LoraLow).Single());
        Assert.Equal(Path.Combine(dir, "loras", "lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors"), a.Files.Get(ModelRole.DistillLoraLow).Single());
        // Found as the alternative, so a pull would fetch nothing for it.
        var dit = manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.DitHigh);
        Assert.Equal("diffusion_models/Wan2_2-I2V-A14B-HIGH_fp8_e4m3fn_scaled_KJ.safetensors", inventory.Installed(dit)!.Path);
    }

    [Fact]
    public void Both_resolutions_are_ready_with_the_same_480p_distill_and_neither_without_it()
    {
        InstallMode("fp8", ModelManifest.ImageToVideo);
        Assert.True(new ModelInventory(manifest, dir, "fp8").Check().ImageToVideo);
        Assert.True(new ModelInventory(manifest, dir, "fp8", hd: true).Check().ImageToVideo);

        var lowDistill = manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.DistillLoraLow);
        File.Delete(Path.Combine(dir, lowDistill.Path));
        foreach (bool hd in new[] { false, true })
        {
            var a = new ModelInventory(manifest, dir, "fp8", hd: hd).Check();
            Assert.False(a.ImageToVideo);
            Assert.Equal([lowDistill.Path], a.Missing);
        }
    }

    [Fact]
    public void The_manifest_alone_says_which_roles_a_resolution_and_a_frame_rate_add()
    {
        var sd = manifest.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false))!;
        var hd = manifest.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: true, Interpolates: true))!;
        Assert.Empty(sd.Except(hd));
        Assert.Equal([ModelRole.Interpolation], hd.Except(sd));
        Assert.Contains(ModelRole.DistillLoraLow, hd);
        Assert.DoesNotContain(ModelRole.DistillLoraLow, manifest.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Reference, Hd: false))!);
    }

    [Fact]
    public void Text_to_video_fast_needs_the_lightning_loras_made_for_t2v_not_the_i2v_distill()
    {
        Assert.Contains(ModelRole.T2vDistillLoraHigh, manifest.Modes[ModelManifest.TextToVideoFast]);
        Assert.DoesNotContain(ModelRole.DistillLoraHigh, manifest.Modes[ModelManifest.TextToVideoFast]);
        var t2vFast = manifest.Files.Where(f => f.Role is ModelRole.T2vDistillLoraHigh or ModelRole.T2vDistillLoraLow).ToList();
        Assert.All(t2vFast, f => Assert.Equal("lora-wan-t2v-a14b", f.Architecture));
        Assert.All(t2vFast, f => Assert.Contains("T2V-A14B", f.Source.Path));
    }

    [Fact]
    public void Nothing_installed_reports_the_missing_files_and_the_pull_command()
    {
        var a = new ModelInventory(manifest, dir).Check();
        Assert.Null(a.Variant);
        Assert.False(a.ImageToVideo || a.TextToVideoFast || a.TextToVideoQuality);
        Assert.Contains("./svi models pull --variant", a.Hint);
        Assert.Contains("loras/SVI_Wan2.2-I2V-A14B_high_noise_lora_v2.0_pro.safetensors", a.Missing);
    }

    [Fact]
    public void An_installed_fp8_variant_resolves_each_role_to_its_files()
    {
        InstallMode("fp8", ModelManifest.ImageToVideo);
        var a = new ModelInventory(manifest, dir).Check();
        Assert.Equal("fp8", a.Variant);
        Assert.True(a.ImageToVideo);
        Assert.False(a.TextToVideoQuality);
        Assert.Equal([Path.Combine(dir, "diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors")], a.Files!.Get(ModelRole.DitHigh));
        Assert.Equal([Path.Combine(dir, "text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors")], a.Files.Get(ModelRole.TextEncoder));
        Assert.False(a.Files.Has(ModelRole.T2vDitHigh));
        Assert.Equal([Path.Combine(dir, "tokenizer/umt5-xxl/spiece.model")], a.Files.Get(ModelRole.Tokenizer));
    }

    [Fact]
    public void Bf16_experts_resolve_to_their_six_shards_in_order_without_the_json_side_files()
    {
        InstallMode("bf16", ModelManifest.ImageToVideo);
        var files = new ModelInventory(manifest, dir).Check().Files!;
        var shards = files.Get(ModelRole.DitLow);
        Assert.Equal(6, shards.Count);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"diffusion_pytorch_model-0000{i}-of-00006.safetensors"), shards.Select(Path.GetFileName));
        Assert.All(shards, p => Assert.Contains("low_noise_model", p));
    }

    [Fact]
    public void Preference_order_picks_bf16_over_fp8_unless_a_variant_is_configured()
    {
        InstallMode("fp8", ModelManifest.ImageToVideo);
        InstallMode("bf16", ModelManifest.ImageToVideo);
        Assert.Equal("bf16", new ModelInventory(manifest, dir).Check().Variant);
        Assert.Equal("fp8", new ModelInventory(manifest, dir, "fp8").Check().Variant);
    }

    [Fact]
    public void Text_to_video_modes_need_the_t2v_experts_and_fast_also_the_distill_loras()
    {
        InstallMode("fp8", ModelManifest.TextToVideoQuality);
        var quality = new ModelInventory(manifest, dir).Check();
        Assert.True(quality.TextToVideoQuality);
        Assert.False(quality.TextToVideoFast);
        InstallMode("fp8", ModelManifest.TextToVideoFast);
        Assert.True(new ModelInventory(manifest, dir).Check().TextToVideoFast);
    }

    [Fact]
    public void A_file_with_the_wrong_size_counts_as_missing()
    {
        InstallMode("fp8", ModelManifest.ImageToVideo);
        var vae = manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.Vae);
        using (var s = File.OpenWrite(Path.Combine(dir, vae.Path))) s.SetLength(100);
        var a = new ModelInventory(manifest, dir, "fp8").Check();
        Assert.False(a.ImageToVideo);
        Assert.Equal([vae.Path], a.Missing);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
