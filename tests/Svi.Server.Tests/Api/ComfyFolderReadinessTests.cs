using Svi.Server.Tests.Models;

namespace Svi.Server.Tests.Api;

/// <summary>
/// <c>/readyz</c> on a ComfyUI models folder: ready for image-to-video with the tokenizer read from the Comfy-Org
/// text encoder's <c>spiece_model</c> tensor, and asking for <c>spiece.model</c> only when that tensor is absent.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ComfyFolderReadinessTests : FreshDatabaseTests
{
    readonly string models = Directory.CreateTempSubdirectory("svi-comfy-ready-").FullName;

    public override async Task DisposeAsync()
    {
        Directory.Delete(models, recursive: true);
        await base.DisposeAsync();
    }

    async Task<JsonElement> ModesAsync()
    {
        await using var server = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false,
            inventory: new ModelInventory(ModelManifest.Default(), models, "fp8", "distilled"));
        var (_, readiness) = await GetAsync(server.Client, "/readyz");
        return readiness.GetProperty("modes").Clone();
    }

    [Fact]
    public async Task Readiness_asks_for_the_tokenizer_only_when_the_text_encoder_does_not_embed_it()
    {
        var manifest = ModelManifest.Default();
        ComfyFolder.Install(manifest, models, embeddedTokenizer: true);
        var embedded = await ModesAsync();
        Assert.True(embedded.GetProperty("image_to_video").GetBoolean(), embedded.ToString());
        Assert.Empty(embedded.GetProperty("missing").EnumerateArray());

        ComfyFolder.Install(manifest, models, embeddedTokenizer: false);
        var plain = await ModesAsync();
        Assert.False(plain.GetProperty("image_to_video").GetBoolean());
        Assert.Equal(["tokenizer/umt5-xxl/spiece.model"], plain.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
    }
}
