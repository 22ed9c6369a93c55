namespace Svi.Server.Tests.Api;

/// <summary>
/// The clips announced at submission are the clips the real clip loop runs (on the tiny stand-in models), for a create
/// and for extensions on both surfaces; <c>clips_completed</c> counts them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClipCountTests(TinyRendererFixture fixture) : IClassFixture<TinyRendererFixture>
{
    const string Key = TinyRendererFixture.Key;

    Task<JsonElement> CreateAsync(double seconds) =>
        fixture.SubmitAsync(new { prompt = "a paper boat", duration = seconds, seed = 5, image = ImageFixtures.PngDataUrl });

    async Task<string> CompletedSourceAsync(double seconds) =>
        (await fixture.CompletedAsync((await CreateAsync(seconds)).GetProperty("id").GetString()!)).GetProperty("id").GetString()!;

    static void AssertFinished(JsonElement done, int clips, int frames)
    {
        Assert.Equal((clips, clips, frames), (done.GetProperty("clips_total").GetInt32(), done.GetProperty("clips_completed").GetInt32(),
            done.GetProperty("frames").GetInt32()));
        Assert.Equal(100, done.GetProperty("progress").GetDouble());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("stage").ValueKind);
    }

    [Fact]
    public async Task An_18_s_job_completes_the_clips_it_announced_at_submission()
    {
        var created = await CreateAsync(18);
        int announced = created.GetProperty("clips_total").GetInt32();
        Assert.Equal(4, announced);

        var id = created.GetProperty("id").GetString()!;
        var running = await fixture.Server.WaitForAsync(id, g => g.GetProperty("stage").ValueKind == JsonValueKind.String || SviTestServer.IsTerminal(g), 300, Key);
        if (running.GetProperty("status").GetString() == "in_progress")
            Assert.Contains(running.GetProperty("stage").GetString(), new[] { "denoising", "decoding", "encoding" });
        var done = await fixture.CompletedAsync(id);
        AssertFinished(done, announced, 288);
        Assert.Equal(18, done.GetProperty("duration").GetDouble());

        var (_, video) = await GetAsync(fixture.Client, $"/v1/videos/{id}", Key);
        Assert.Equal((announced, announced, "18"), (video.GetProperty("clips_completed").GetInt32(), video.GetProperty("clips_total").GetInt32(),
            video.GetProperty("seconds").GetString()));
    }

    [Fact]
    public async Task A_native_extension_completes_the_clips_it_announced()
    {
        var source = await CompletedSourceAsync(100 / 16.0); // 2 clips: 157 frames before the trim
        var (status, accepted) = await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{source}/extend", """{"prompt": "it sails on", "duration": 4}""", Key);
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal(3, accepted.GetProperty("clips_total").GetInt32());
        Assert.Equal((157 + 64) / 16.0, accepted.GetProperty("duration").GetDouble());
        AssertFinished(await fixture.CompletedAsync(accepted.GetProperty("id").GetString()!), 3, 157 + 64);
    }

    [Fact]
    public async Task An_openai_extension_completes_the_clips_it_announced()
    {
        var source = await CompletedSourceAsync(1); // one clip: 81 frames
        var (status, video) = await PostJsonAsync(fixture.Client, "/v1/videos/extensions",
            $$$"""{"prompt": "it sails on", "seconds": "8", "video": {"id": "{{{source}}}"}}""", Key);
        Assert.True(status == HttpStatusCode.OK, video.ToString());
        // 81 + 128 frames: 128 new frames need two clips of 76
        Assert.Equal(3, video.GetProperty("clips_total").GetInt32());
        Assert.Equal("13.0625", video.GetProperty("seconds").GetString());
        AssertFinished(await fixture.CompletedAsync(video.GetProperty("id").GetString()!), 3, 81 + 128);
    }
}
