namespace Svi.Server.Tests.Models;

public class ManifestTests
{
    static readonly ModelManifest Shipped = ModelManifest.Default();

    [Fact]
    public void The_shipped_manifest_is_embedded_and_parses()
    {
        Assert.Equal("svi-2.0-pro-wan2.2-a14b", Shipped.Model);
        Assert.Equal(["bf16", "fp16", "fp8"], Shipped.Variants.Keys.Order());
    }

    [Fact]
    public void The_embedded_manifest_is_the_one_in_the_repository()
    {
        string repo = RepositoryRoot.Find();
        var onDisk = ModelManifest.Load(Path.Combine(repo, "models", "svi-2.0-pro-wan2.2-a14b.json"));
        Assert.Equal(onDisk.Files.Select(f => f.Path), Shipped.Files.Select(f => f.Path));
    }

    [Theory]
    [InlineData("fp8")]
    [InlineData("bf16")]
    [InlineData("fp16")]
    public void Every_variant_has_every_role_of_every_mode(string variant)
    {
        foreach (var (mode, roles) in Shipped.Modes)
            foreach (var role in roles)
                Assert.True(Shipped.FilesOf(variant).Any(f => f.Role == role && !f.Optional), $"{variant} lacks {role} for {mode}");
    }

    [Fact]
    public void Official_bf16_experts_are_six_shards_each_with_index_and_config()
    {
        foreach (var role in new[] { ModelRole.DitHigh, ModelRole.DitLow, ModelRole.T2vDitHigh, ModelRole.T2vDitLow })
        {
            var files = Shipped.FilesOf("bf16").Where(f => f.Role == role).ToList();
            Assert.Equal(6, files.Count(f => f.Path.EndsWith("-of-00006.safetensors", StringComparison.Ordinal)));
            Assert.Contains(files, f => f.Path.EndsWith("diffusion_pytorch_model.safetensors.index.json", StringComparison.Ordinal));
            Assert.Contains(files, f => f.Path.EndsWith("/config.json", StringComparison.Ordinal));
            Assert.All(files, f => Assert.StartsWith("Wan-AI/Wan2.2-", f.Source.Repo));
        }
    }

    [Fact]
    public void The_svi_pro_loras_come_from_the_official_repository()
    {
        var high = Assert.Single(Shipped.FilesOf("fp8"), f => f.Role == ModelRole.LoraHigh);
        Assert.Equal(("vita-video-gen/svi-model", "version-2.0/SVI_Wan2.2-I2V-A14B_high_noise_lora_v2.0_pro.safetensors"),
            (high.Source.Repo, high.Source.Path));
    }

    [Fact]
    public void Every_file_without_a_licence_or_checksum_says_where_its_facts_come_from_or_is_official()
    {
        foreach (var f in Shipped.Files.Where(f => f.License is null || (f.Size is not null && !f.Source.Repo.StartsWith("Wan-AI/", StringComparison.Ordinal))))
            Assert.False(string.IsNullOrWhiteSpace(f.Provenance), $"{f.Path}: licence or size without provenance");
    }

    const string Valid = """
        { "schema": 1, "model": "m", "description": "d",
          "variants": { "fp8": { "description": "x", "weightDType": "fp8_e4m3fn_scaled" } },
          "preference": ["fp8"], "modes": { "i2v": ["Vae"] },
          "files": [ { "path": "vae/v.safetensors", "role": "Vae", "variants": ["fp8"], "format": "safetensors",
                       "architecture": "wan21-vae", "source": { "repo": "o/r", "revision": "0123456789abcdef0123456789abcdef01234567", "path": "v.safetensors" },
                       "size": 10, "sha256": null, "license": "apache-2.0" } ] }
        """;

    [Fact]
    public void The_rife_interpolation_file_is_optional_in_every_variant_with_its_published_size_sha256_and_licence()
    {
        var rife = Shipped.Files.Single(f => f.Role == ModelRole.Interpolation);
        Assert.True(rife.Optional);
        Assert.Equal(Shipped.Variants.Keys.Order(), rife.Variants.Order());
        Assert.Equal(("yuvraj108c/rife-onnx", "rife49_ensemble_True_scale_1_sim.onnx"), (rife.Source.Repo, rife.Source.Path));
        // The weights are MIT, the export's repository states no licence, the export script's project is CC BY-NC-SA 4.0.
        Assert.Equal((21458882L, "76e4cef9ab42fa7dd4e8f6e4aba47462051e3faa969e4bca6479784fbab0ac6f", "unclear"), (rife.Size!.Value, rife.Sha256, rife.License));
        Assert.Contains("TensorStack/RIFE", rife.Provenance);
        Assert.Contains("CC BY-NC-SA 4.0", rife.Provenance);
        Assert.DoesNotContain(ModelRole.Interpolation, Shipped.Modes.Values.SelectMany(r => r));
    }

    [Fact]
    public void The_shipped_manifest_pins_commits_names_no_branch_and_no_deleted_file()
    {
        var copies = Shipped.Files.SelectMany(f => f.Copies()).ToList();
        Assert.All(copies, f => Assert.True(f.Source.Revision is null || ModelSource.IsCommit(f.Source.Revision), $"{f.Path}: {f.Source.Revision}"));
        Assert.DoesNotContain(copies, f => f.Source.Path.Contains("720p", StringComparison.Ordinal));
        Assert.Equal([ModelRole.DistillLoraHigh, ModelRole.DistillLoraLow], Shipped.Recipes!["distilled"]);
        // The default pull (fp8, distilled, image-to-video) is pinned wherever a public record of a commit was found.
        // No role is needed at one resolution only: the 480p LOW distill serves 720p too (the 720p one was deleted).
        Assert.Null(Shipped.OnlyAtResolution);
        var roles = Shipped.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false))!;
        Assert.Equal(roles, Shipped.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: true))!);
        var pulled = Shipped.FilesOf("fp8").Where(f => roles.Contains(f.Role)).ToList();
        Assert.All(pulled.Where(f => f.Source.Repo.StartsWith("Comfy-Org/", StringComparison.Ordinal) || f.Source.Repo.StartsWith("Kijai/", StringComparison.Ordinal)),
            f => Assert.True(f.Source.Pinned, f.Path));
        // Every pinned sha256 has a size beside it, and every one is stated with where it comes from.
        Assert.All(copies.Where(f => f.Sha256 is not null), f => Assert.False(string.IsNullOrWhiteSpace(f.Provenance), f.Path));
    }

    [Fact]
    public void Kijais_repackaged_files_serve_the_expert_and_lora_roles_as_alternatives()
    {
        var high = Assert.Single(Shipped.FilesOf("fp8"), f => f.Role == ModelRole.DitHigh);
        Assert.Contains(high.Alternatives!, a => a.Path == "diffusion_models/Wan2_2-I2V-A14B-HIGH_fp8_e4m3fn_scaled_KJ.safetensors"
                                                 && a.Source.Repo == "Kijai/WanVideo_comfy_fp8_scaled");
        var lora = Assert.Single(Shipped.FilesOf("fp8"), f => f.Role == ModelRole.LoraLow);
        var kj = Assert.Single(lora.Alternatives!);
        Assert.Equal(("loras/SVI_v2_PRO_Wan2.2-I2V-A14B_LOW_lora_rank_128_fp16.safetensors", 1226934120L), (kj.Path, kj.Size!.Value));
    }

    [Fact]
    public void A_minimal_manifest_parses() => Assert.Single(ModelManifest.Parse(Valid, "m.json").Files);

    [Theory]
    [InlineData("\"role\": \"Vae\"", "\"role\": \"Unet\"", "not a valid manifest")]
    [InlineData("\"path\": \"vae/v.safetensors\"", "\"path\": \"../v.safetensors\"", "path must be relative")]
    [InlineData("\"variants\": [\"fp8\"]", "\"variants\": [\"int4\"]", "unknown variant 'int4'")]
    [InlineData("\"sha256\": null", "\"sha256\": \"ABC\"", "sha256 must be 64")]
    [InlineData("\"architecture\": \"wan21-vae\"", "\"architecture\": \"sdxl-unet\"", "unknown architecture")]
    [InlineData("\"schema\": 1", "\"schema\": 2", "schema 2")]
    [InlineData("\"modes\": { \"i2v\": [\"Vae\"] }", "\"modes\": { \"i2v\": [\"Vae\", \"DitHigh\"] }", "no file for role DitHigh")]
    [InlineData("\"size\": 10,", "", "not a valid manifest")]
    [InlineData("\"revision\": \"0123456789abcdef0123456789abcdef01234567\"", "\"revision\": \"main\"", "revision 'main' is not a 40-hex commit")]
    [InlineData("\"revision\": \"0123456789abcdef0123456789abcdef01234567\"", "\"revision\": \"0123456\"", "not a 40-hex commit")]
    public void A_broken_manifest_is_rejected_naming_the_manifest_and_the_problem(string from, string to, string expected)
    {
        var e = Assert.Throws<ManifestFormatException>(() => ModelManifest.Parse(Valid.Replace(from, to), "broken.json"));
        Assert.StartsWith("broken.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
