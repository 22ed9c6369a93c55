namespace Svi.Server.Tests.Api;

/// <summary>
/// An uploaded video extended on a 32 fps deployment: the whole returned video is at 32 fps, the upload's own frames
/// interpolated (through the real ONNX Runtime, by the linear-blend stand-in graph) like the new clips'.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UploadExtensionAt32FpsTests(TinyRendererAt32FpsFixture fixture) : IClassFixture<TinyRendererAt32FpsFixture>
{
    const string Key = TinyRendererFixture.Key;

    async Task<string> FileAsync(string name, string ffmpegArguments)
    {
        var path = Path.Combine(fixture.DataDirectory, name);
        await FfmpegTestRenderer.RunFfmpegAsync($"-y -v error {ffmpegArguments} \"{path}\"", CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task The_upload_and_the_new_clips_come_back_at_32_fps_with_the_uploads_frames_on_the_even_frames()
    {
        // 2 s at 24 fps: 32 frames at 16 fps, then 64 new frames
        var mp4 = await FileAsync("upload.mp4", "-f lavfi -i testsrc=size=64x48:rate=24 -t 2 -pix_fmt yuv420p -c:v libx264 -preset ultrafast");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("the pattern moves on"), "prompt" }, { new StringContent("4"), "seconds" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(mp4)), "video", "clip.mp4" },
        };
        var (status, video) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", form, Key);
        Assert.True(status == HttpStatusCode.OK, video.ToString());
        Assert.Equal("6", video.GetProperty("seconds").GetString());
        var id = video.GetProperty("id").GetString()!;

        var done = await fixture.CompletedAsync(id);
        Assert.Equal(32, done.GetProperty("fps").GetInt32());
        Assert.Equal(2 * 96 - 1, done.GetProperty("frames").GetInt32());

        var path = await fixture.DownloadAsync($"/v1/videos/{id}/content", id);
        var media = new FfmpegVideoMedia();
        var info = await media.ProbeAsync(path, CancellationToken.None);
        Assert.Equal(32.0, info.FrameRate, 1);
        var output = await media.ReadFramesAsync(path, null, null, null, CancellationToken.None);
        Assert.Equal(2 * 96 - 1, output.FrameCount);

        // the upload decoded at 16 fps and 32×16 without re-encoding (lossless); x264 at crf 18 on 32×16 sets the tolerance
        var resampled = await FileAsync("upload.mkv",
            $"-i \"{mp4}\" -vf fps=16,scale=32:16:force_original_aspect_ratio=increase,crop=32:16,setsar=1 -c:v ffv1");
        var upload = await media.ReadFrameRangeAsync(resampled, TinySviRenderer.Width, TinySviRenderer.Height, 0, 32, CancellationToken.None);
        for (int i = 0; i < 32; i++) AssertClose(upload.Frame(i).Span, output.Frame(2 * i).Span, $"frame {2 * i} (upload frame {i})");
        // the stand-in graph blends linearly: an upload's in-between frame is the mean of its neighbours
        for (int i = 0; i < 31; i++)
        {
            var mean = new byte[output.FrameBytes];
            ReadOnlySpan<byte> before = output.Frame(2 * i).Span, after = output.Frame(2 * i + 2).Span;
            for (int b = 0; b < mean.Length; b++) mean[b] = (byte)((before[b] + after[b] + 1) / 2);
            AssertClose(mean, output.Frame(2 * i + 1).Span, $"frame {2 * i + 1}");
        }
    }

    static void AssertClose(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        double diff = 0;
        for (int i = 0; i < expected.Length; i++) diff += Math.Abs(expected[i] - actual[i]);
        Assert.True(diff / expected.Length < 8, $"{what}: mean difference {diff / expected.Length:0.00} levels");
    }
}
