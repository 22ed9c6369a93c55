using Svi.Inference.Text;
using Svi.Inference.Wan.Umt5;

namespace Svi.Server.Tests.Models;

/// <summary>
/// A ComfyUI models folder needs no tokenizer download: Comfy-Org's UMT5 file carries the SentencePiece model as its
/// <c>spiece_model</c> tensor, which the manifest lists as an alternative to <c>spiece.model</c>.
/// </summary>
public sealed class ComfyTokenizerTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-comfy-tok-").FullName;
    readonly ModelManifest manifest = ModelManifest.Default();
    static readonly SviModelChoice ImageToVideo = new(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    ModelInventory Inventory() => new(manifest, dir, "fp8", "distilled");

    [Fact]
    public void The_tokenizer_comes_from_the_text_encoders_spiece_model_tensor_and_the_folder_is_ready()
    {
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);
        var inventory = Inventory();

        var a = inventory.Check();

        Assert.True(a.ImageToVideo, string.Join(", ", a.Missing));
        Assert.False(Directory.Exists(Path.Combine(dir, "tokenizer")));
        Assert.Null(inventory.Missing(ImageToVideo));
        string encoder = Path.Combine(dir, ComfyFolder.TextEncoderOf(manifest).Path);
        Assert.Equal([encoder], a.Files!.Get(ModelRole.Tokenizer));
        Assert.Equal("spiece_model in text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors", inventory.Installed(ComfyFolder.SpieceOf(manifest))!.Location);
        // What the loader reads from the path the inventory gives is the embedded model itself.
        var loaded = Umt5Tokenizer.Load(a.Files.Get(ModelRole.Tokenizer).Single(), 32);
        var generated = new Umt5Tokenizer(SentencePieceModel.Parse(GeneratedSentencePiece.ModelBytes()), 32);
        Assert.Equal(generated.Tokenize("a cat on a wall").Ids, loaded.Tokenize("a cat on a wall").Ids);
    }

    [Fact]
    public void A_text_encoder_without_the_tensor_still_needs_spiece_model_with_the_same_message()
    {
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: false);
        var inventory = Inventory();

        var a = inventory.Check();

        Assert.False(a.ImageToVideo);
        Assert.Equal(["tokenizer/umt5-xxl/spiece.model"], a.Missing);
        Assert.Contains("./svi models pull --variant fp8", a.Hint);
        Assert.Null(inventory.Installed(ComfyFolder.SpieceOf(manifest)));
        Assert.Contains("The weights for", inventory.Missing(ImageToVideo));
        // The official .pth encoder embeds nothing, and the manifest names no tensor in it.
        Assert.All(manifest.Files.SelectMany(f => f.Copies()).Where(c => c.Tensor is not null),
            c => Assert.EndsWith(".safetensors", c.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void The_standalone_spiece_model_is_preferred_where_both_are_installed()
    {
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);
        var spiece = ComfyFolder.SpieceOf(manifest);
        ComfyFolder.Sparse(Path.Combine(dir, spiece.Path), spiece.Size!.Value);
        var inventory = Inventory();

        Assert.Equal(spiece.Location, inventory.Installed(spiece)!.Location);
        Assert.Equal([Path.Combine(dir, spiece.Path)], inventory.Check().Files!.Get(ModelRole.Tokenizer));
    }

    [Fact]
    public void A_pull_fetches_no_tokenizer_file_for_the_folder_and_spiece_model_for_a_fresh_install()
    {
        var tokenizerFiles = manifest.FilesOf("fp8").Where(f => f.Role == ModelRole.Tokenizer).ToList();
        var fresh = Inventory().ToPull(tokenizerFiles);
        Assert.Equal(3, fresh.Count);
        Assert.DoesNotContain(fresh, Inventory().IsPresent);

        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);
        var served = Inventory().ToPull(tokenizerFiles);
        var spiece = Assert.Single(served);
        Assert.True(Inventory().IsPresent(spiece));
    }

    [Fact]
    public async Task Models_list_and_the_pull_plan_say_where_the_tokenizer_was_found()
    {
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);

        var (listExit, list, listError) = await SviCli.RunAsync("models", "list", "--models-dir", dir, "--variant", "fp8");
        var (planExit, plan, planError) = await SviCli.RunAsync("models", "pull", "--dry-run", "--models-dir", dir, "--variant", "fp8");

        Assert.True(listExit == 0, listError);
        var listed = Assert.Single(list.Split('\n'), l => l.Contains("Tokenizer", StringComparison.Ordinal) && !l.Contains(".json", StringComparison.Ordinal));
        Assert.Contains("installed", listed);
        Assert.Contains("spiece_model in text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors  (alternative to tokenizer/umt5-xxl/spiece.model)", listed);
        Assert.True(planExit == 0, planError);
        Assert.DoesNotContain(plan.Split('\n'), l => l.Contains("Tokenizer", StringComparison.Ordinal) && l.Contains("to fetch", StringComparison.Ordinal));
        Assert.Contains("(as spiece_model in text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors)", plan);
        Assert.DoesNotContain("tokenizer_config.json", plan);
    }

    [Fact]
    public async Task A_fresh_pull_plan_still_fetches_spiece_model()
    {
        var (exit, plan, error) = await SviCli.RunAsync("models", "pull", "--dry-run", "--models-dir", dir, "--variant", "fp8");

        Assert.True(exit == 0, error);
        Assert.Contains(plan.Split('\n'), l => l.Contains("to fetch", StringComparison.Ordinal) && l.Contains("tokenizer/umt5-xxl/spiece.model", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_checks_the_embedded_tokenizer_parses_as_a_sentencepiece_model()
    {
        ComfyFolder.Install(manifest, dir, embeddedTokenizer: true);
        VerifyResult Tokenizer() => new ModelVerifier(Inventory()).Verify("fp8", checkSha256: true).Single(r => r.File.Role == ModelRole.Tokenizer && !r.File.Optional);

        var ok = Tokenizer();
        Assert.True(ok.Status == VerifyStatus.Ok, string.Join("; ", ok.Problems));
        Assert.Equal("spiece_model", ok.File.Tensor);

        var encoder = ComfyFolder.TextEncoderOf(manifest);
        ComfyFolder.WriteTextEncoder(Path.Combine(dir, encoder.Path), [0x0A, 0xFF, 0xFF], encoder.Size!.Value);
        var broken = Tokenizer();
        Assert.Equal(VerifyStatus.WrongLayout, broken.Status);
        Assert.StartsWith("spiece_model in ", broken.Problems.Single());
    }

    [Fact]
    public void The_loader_reads_the_tokenizer_from_the_tensor_the_manifest_names()
    {
        var renamed = ModelManifest.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "models", "svi-2.0-pro-wan2.2-a14b.json"))
            .Replace("\"tensor\": \"spiece_model\"", "\"tensor\": \"tokenizer_model\""), "renamed.json");
        ComfyFolder.Install(renamed, dir, embeddedTokenizer: false);
        var encoder = ComfyFolder.TextEncoderOf(renamed);
        string path = Path.Combine(dir, encoder.Path);
        ComfyFolder.WriteTextEncoder(path, GeneratedSentencePiece.ModelBytes(), encoder.Size!.Value, tensor: "tokenizer_model");

        var files = new ModelInventory(renamed, dir, "fp8", "distilled").Resolve("fp8");

        Assert.Equal([path], files.Get(ModelRole.Tokenizer));
        Assert.Equal("tokenizer_model", files.TensorIn(path));
        var loaded = Umt5Tokenizer.Load(path, 32, files.TensorIn(path));
        var generated = new Umt5Tokenizer(SentencePieceModel.Parse(GeneratedSentencePiece.ModelBytes()), 32);
        Assert.Equal(generated.Tokenize("a cat on a wall").Ids, loaded.Tokenize("a cat on a wall").Ids);
        // ComfyUI's own name is no longer the one the manifest gives: reading it would find no tokenizer.
        Assert.Throws<SentencePieceModelException>(() => Umt5Tokenizer.Load(path, 32));
    }

    [Fact]
    public void A_tensor_alternative_must_name_a_safetensors_file_of_the_manifest()
    {
        string json = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "models", "svi-2.0-pro-wan2.2-a14b.json"))
            .Replace("\"path\": \"text_encoders/umt5_xxl_fp16.safetensors\",\n          \"tensor\"", "\"path\": \"text_encoders/elsewhere.safetensors\",\n          \"tensor\"");

        var e = Assert.Throws<ManifestFormatException>(() => ModelManifest.Parse(json, "m.json"));
        Assert.Contains("file 'spiece_model in text_encoders/elsewhere.safetensors': a tensor copy must name a safetensors file the manifest lists", e.Message);
    }
}
