using System.Net;
using System.Text.Json;
using Svi.Server.Media;
using Svi.Server.Tests.Support;
using static Svi.Server.Tests.Support.Http;

namespace Svi.Server.Tests.Api;

/// <summary>
/// <c>fps: 32</c> end to end: the production renderer on stand-in models, its frames interpolated through the real ONNX
/// Runtime (CPU provider) by the linear-blend stand-in graph with RIFE's signature, then encoded and joined by ffmpeg.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FrameRateTests(TinyRendererFixture fixture) : IClassFixture<TinyRendererFixture>
{
    const string Key = TinyRendererFixture.Key;
    HttpClient Client => fixture.Server.Client;
    static readonly string ImageDataUrl = "data:image/png;base64," + Convert.ToBase64String(ImageFixtures.Encode("png"));

    async Task<JsonElement> CreateAsync(int frames, long seed, int fps)
    {
        var body = JsonSerializer.Serialize(new { prompt = "a paper boat", duration = frames / 16.0, seed, image = ImageDataUrl, fps });
        var (status, created) = await PostJsonAsync(Client, "/v1/videos/generations", body, Key);
        Assert.True(status == HttpStatusCode.Accepted, created.ToString());
        Assert.Equal(fps, created.GetProperty("fps").GetInt32());
        return await CompletedAsync(created.GetProperty("id").GetString()!);
    }

    async Task<JsonElement> CompletedAsync(string id)
    {
        var done = await fixture.Server.WaitForAsync(id, SviTestServer.IsTerminal, 300, Key);
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        return done;
    }

    async Task<(RawVideo Frames, VideoInfo Info)> DownloadAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/generations/{id}/content");
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(fixture.DataDirectory, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
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
        var (status, accepted) = await PostJsonAsync(Client, $"/v1/videos/generations/{source.GetProperty("id").GetString()}/extend",
            """{"prompt": "a paper boat", "duration": 4.75}""", Key);
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal(32, accepted.GetProperty("fps").GetInt32());
        var extension = await CompletedAsync(accepted.GetProperty("id").GetString()!);
        var whole = await CreateAsync(81 + 76 + 76, seed: 43, fps: 32);

        var (extended, _) = await DownloadAsync(extension.GetProperty("id").GetString()!);
        var (uninterrupted, _) = await DownloadAsync(whole.GetProperty("id").GetString()!);
        Assert.Equal(2 * (81 + 76 + 76) - 1, extended.FrameCount);
        Assert.True(uninterrupted.Rgb24.Span.SequenceEqual(extended.Rgb24.Span), "the 32 fps extension's frames differ from the uninterrupted run's");
    }
}
