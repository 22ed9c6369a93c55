namespace Svi.Server.Tests.Media;

public sealed class FfmpegVideoMediaTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-media-").FullName;
    readonly FfmpegVideoMedia media = new();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    // A moving gradient, so frames differ and the encoder has real work.
    public static RawVideo Gradient(int width, int height, int frames, int phase = 0)
    {
        var pixels = new byte[width * height * 3 * frames];
        for (int f = 0; f < frames; f++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = ((f * height + y) * width + x) * 3;
                    pixels[i] = (byte)(x * 255 / width);
                    pixels[i + 1] = (byte)(y * 255 / height);
                    pixels[i + 2] = (byte)((f + phase) * 9);
                }
        return RawVideo.Create(width, height, pixels);
    }

    [Fact]
    public async Task Encoded_mp4_is_h264_yuv420p_at_16_fps_with_every_frame_and_the_requested_size()
    {
        string path = Path.Combine(directory, "clip.mp4");
        await media.EncodeAsync(Gradient(64, 48, 81), path, CancellationToken.None);

        var info = await media.ProbeAsync(path, CancellationToken.None);
        Assert.Equal((64, 48, 81), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 3);
        Assert.Equal("h264", info.Codec);
        Assert.Equal("yuv420p", info.PixelFormat);
    }

    [Fact]
    public async Task Joined_parts_keep_every_frame_at_16_fps_with_the_index_up_front()
    {
        var parts = new List<string>();
        foreach (var (frames, i) in new[] { 81, 76, 43 }.Select((f, i) => (f, i)))
        {
            parts.Add(Path.Combine(directory, $"part{i}.ts"));
            await media.EncodeAsync(Gradient(64, 48, frames, phase: i * 100), parts[^1], CancellationToken.None);
        }
        string video = Path.Combine(directory, "video.mp4");
        await media.ConcatAsync(parts, video, CancellationToken.None);

        var info = await media.ProbeAsync(video, CancellationToken.None);
        Assert.Equal(200, info.Frames);
        Assert.Equal(16.0, info.FrameRate, 6);
        Assert.Equal(12.5, info.Duration.TotalSeconds, 3);
        var bytes = await File.ReadAllBytesAsync(video);
        Assert.True(IndexOf(bytes, "moov"u8) < IndexOf(bytes, "mdat"u8), "+faststart puts moov before mdat");
    }

    [Fact]
    public async Task Encoding_the_same_frames_twice_gives_the_same_bytes()
    {
        string a = Path.Combine(directory, "a.mp4"), b = Path.Combine(directory, "b.mp4");
        await media.EncodeAsync(Gradient(64, 48, 30), a, CancellationToken.None);
        await media.EncodeAsync(Gradient(64, 48, 30), b, CancellationToken.None);
        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
    }

    [Fact]
    public async Task Frames_read_back_are_the_encoded_frames_within_compression_error()
    {
        var source = Gradient(64, 48, 17);
        string path = Path.Combine(directory, "clip.mp4");
        await media.EncodeAsync(source, path, CancellationToken.None);

        var decoded = await media.ReadFramesAsync(path, null, null, null, CancellationToken.None);
        Assert.Equal((64, 48, 17), (decoded.Width, decoded.Height, decoded.FrameCount));
        double meanError = source.Rgb24.ToArray().Zip(decoded.Rgb24.ToArray(), (x, y) => Math.Abs(x - y)).Average();
        Assert.InRange(meanError, 0, 6); // CRF 18 with yuv420p chroma subsampling

        var scaled = await media.ReadFramesAsync(path, 32, 24, 5, CancellationToken.None);
        Assert.Equal((32, 24, 5), (scaled.Width, scaled.Height, scaled.FrameCount));
    }

    [Fact]
    public async Task Thumbnail_is_a_jpeg_of_the_frame_at_the_video_size()
    {
        string path = Path.Combine(directory, "thumbnail.jpg");
        await media.WriteJpegAsync(Gradient(64, 48, 3), 1, path, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, bytes[..2]);
        var image = await media.ReadFramesAsync(path, null, null, null, CancellationToken.None);
        Assert.Equal((64, 48, 1), (image.Width, image.Height, image.FrameCount));
    }

    static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
