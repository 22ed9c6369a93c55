namespace Svi.Server.Tests.Api;

/// <summary>
/// <c>fps: 32</c> end to end: the production renderer on stand-in models, its frames interpolated through the real ONNX
/// Runtime (CPU provider) by the linear-blend stand-in graph with RIFE's signature, then encoded and joined by ffmpeg.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FrameRateTests(TinyRendererFixture fixture) : IClassFixture<TinyRendererFixture>
{
    const string Key = TinyRendererFixture.Key;

    async Task<JsonElement> CreateAsync(int frames, long seed, int fps)
    {
        var created = await fixture.SubmitAsync(new { prompt = "a paper boat", duration = frames / 16.0, seed, image = ImageFixtures.PngDataUrl, fps });
        Assert.Equal(fps, created.GetProperty("fps").GetInt32());
        return await fixture.CompletedAsync(created.GetProperty("id").GetString()!);
    }

    async Task<(RawVideo Frames, VideoInfo Info)> DownloadAsync(string id)
    {
        var path = await fixture.DownloadAsync($"/v1/videos/generations/{id}/content", id);
        var media = new FfmpegVideoMedia();
        return (await media.ReadFramesAsync(path, null, null, null, CancellationToken.None), await media.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task A_32_fps_request_renders_2N_minus_1_frames_at_32_fps_through_onnx_runtime()
    {
        var done = await CreateAsync(81 + 76, seed: 41, fps: 32);

        Assert.Equal(32, done.GetProperty("fps").GetInt32());
        Assert.Equal(2 * (81 + 76) - 1, done.GetProperty("frames").GetInt32());
        var (frames, info) = await DownloadAsync(done.GetProperty("id").GetString()!);
        Assert.Equal(2 * (81 + 76) - 1, frames.FrameCount);
        Assert.Equal(32.0, info.FrameRate, 1);
        Assert.Equal((81 + 76 - 0.5) / 16, info.Duration.TotalSeconds, 1);
    }

    [Fact]
    public async Task A_32_fps_extension_of_a_trimmed_video_equals_an_uninterrupted_32_fps_run()
    {
        // The source's second clip is trimmed to 40 frames: the extension decodes it again and interpolates its seam
        // from the copied last frame of clip 0.
        var source = await CreateAsync(81 + 40, seed: 43, fps: 32);
        var (status, accepted) = await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{source.GetProperty("id").GetString()}/extend",
            """{"prompt": "a paper boat", "duration": 4.75}""", Key);
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal(32, accepted.GetProperty("fps").GetInt32());
        var extension = await fixture.CompletedAsync(accepted.GetProperty("id").GetString()!);
        var whole = await CreateAsync(81 + 76 + 76, seed: 43, fps: 32);

        var (extended, _) = await DownloadAsync(extension.GetProperty("id").GetString()!);
        var (uninterrupted, _) = await DownloadAsync(whole.GetProperty("id").GetString()!);
        Assert.Equal(2 * (81 + 76 + 76) - 1, extended.FrameCount);
        Assert.True(uninterrupted.Rgb24.Span.SequenceEqual(extended.Rgb24.Span), "the 32 fps extension's frames differ from the uninterrupted run's");
    }
}
