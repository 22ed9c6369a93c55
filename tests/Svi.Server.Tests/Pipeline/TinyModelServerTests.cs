using static TorchSharp.torch;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// The whole product path on the tiny model: HTTP request with an image → PostgreSQL record → Hangfire job →
/// <see cref="SviVideoRenderer"/> with the production loaders on tiny random checkpoints in the real file layouts →
/// ffmpeg → content endpoint. Only the clip size and step count are shrunk so it runs on a CI CPU.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TinyModelServerTests : IAsyncLifetime
{
    const int Width = 32, Height = 32;
    readonly string models = Directory.CreateTempSubdirectory("svi-tiny-models-").FullName;
    readonly string data = SviTestServer.NewDataDirectory();
    TestDatabase database = null!;
    SviTestServer server = null!;

    /// <summary>The production renderer, with requests scaled down to the tiny clip size.</summary>
    sealed class TinyClipRenderer(SviVideoRenderer inner) : IVideoRenderer
    {
        public Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken) =>
            inner.RenderAsync(job with { Spec = job.Spec with { Width = Width, Height = Height, Steps = 2 } }, progress, cancellationToken);
    }

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var renderer = new SviVideoRenderer(new FixedModelInventory(TinySviModels.Write(models)),
            new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32, CPU), new FfmpegVideoMedia(), new SviDefaults());
        server = await SviTestServer.StartAsync(database, data, withWorker: true, renderer: new TinyClipRenderer(renderer));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(models, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Eighteen_second_image_request_completes_end_to_end_on_the_tiny_model()
    {
        string image = ImageFixtures.PngDataUrl;
        var (status, created) = await Http.PostJsonAsync(server.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a red boat drifts", image, duration = 18, seed = 11, cfg = 1.5 }));
        Assert.Equal(HttpStatusCode.Accepted, status);

        var done = await server.WaitForAsync(created.GetProperty("id").GetString()!, SviTestServer.IsTerminal, timeoutSeconds: 600);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetDouble());
        // The default recipe ran: SVI + LightX2V LoRAs in their published key forms merged by the real loaders, cfg 1.5.
        Assert.Equal(("distilled", 1.5), (done.GetProperty("recipe").GetString(), done.GetProperty("cfg").GetDouble()));

        var mp4 = Path.Combine(data, "downloaded.mp4");
        await File.WriteAllBytesAsync(mp4, await server.Client.GetByteArrayAsync($"/v1/videos/generations/{created.GetProperty("id").GetString()}/content"));
        var info = await new FfmpegVideoMedia().ProbeAsync(mp4, CancellationToken.None);
        Assert.Equal((Width, Height, 18 * 16), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
    }
}
