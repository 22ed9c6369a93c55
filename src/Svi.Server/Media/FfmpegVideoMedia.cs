using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace Svi.Server.Media;

/// <summary>
/// <see cref="IVideoMedia"/> on the system's ffmpeg/ffprobe: the one place that builds their arguments. Frames are
/// piped in through FFMpegCore 6; uploads and decoded-frame counts run through <see cref="FfmpegProcess"/>, which
/// reads an input alone. Output is bit-exact (no timestamps or library versions in metadata beyond the encoder's own),
/// so encoding the same frames twice gives the same bytes, which is what makes a resumed generation identical to an
/// uninterrupted one.
/// </summary>
public sealed class FfmpegVideoMedia(VideoEncoding encoding) : IVideoMedia
{
    public FfmpegVideoMedia() : this(new VideoEncoding()) { }

    // Every H.264 output, from frames or from an upload, so an upload's part joins the rendered parts without re-encoding.
    string[] H264(int fps) =>
    [
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", Invariant(encoding.ConstantRateFactor), "-preset", encoding.Preset,
        "-threads", Invariant(encoding.Threads), "-r", Invariant(fps), .. BitExact,
    ];

    static readonly string[] BitExact = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1"];

    static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // After -map_metadata -1, so the inputs' tags stay dropped and only ours is written; quoted for ffmpeg's argument parser.
    string Metadata => encoding.Comment is { } comment ? $" -metadata comment=\"{comment.Replace("\"", "'")}\"" : "";

    public Task EncodeAsync(RawVideo frames, string outputPath, CancellationToken cancellationToken)
    {
        if (frames.FrameCount == 0) throw new ArgumentException("no frames to encode", nameof(frames));
        return EncodeAsync(frames.Width, frames.Height, frames.Fps,
            Enumerable.Range(0, frames.FrameCount).Select(frames.Frame), outputPath, cancellationToken);
    }

    public async Task EncodeAsync(int width, int height, int fps, IEnumerable<ReadOnlyMemory<byte>> frames, string outputPath,
        CancellationToken cancellationToken)
    {
        int frameBytes = width * height * 3;
        var pulled = new PulledFrames(frames.Select(frame => frame.Length == frameBytes
            ? new Rgb24Frame(width, height, frame)
            : throw new ArgumentException($"a frame of {frame.Length} bytes among {width}×{height} rgb24 frames")));
        var source = new RawVideoPipeSource(pulled) { FrameRate = fps };
        await FFMpegArguments.FromPipeInput(source)
            .OutputToFile(outputPath, true, o => o
                .WithCustomArgument(string.Join(' ', H264(fps)) + Metadata)
                .ForceFormat(IsTransportStream(outputPath) ? "mpegts" : "mp4"))
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously();
        // A frame source that failed part way must not leave a shorter video behind as if it were whole.
        pulled.Failure?.Throw();
        if (pulled.Count == 0) throw new ArgumentException("no frames to encode", nameof(frames));
    }

    public async Task ConcatAsync(IReadOnlyList<string> parts, string outputPath, CancellationToken cancellationToken)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to join", nameof(parts));
        string list = outputPath + ".parts.txt";
        await File.WriteAllLinesAsync(list,
            parts.Select(p => $"file '{Path.GetFullPath(p).Replace("'", "'\\''")}'"), cancellationToken);
        try
        {
            await FFMpegArguments.FromFileInput(list, false, o => o.WithCustomArgument("-f concat -safe 0"))
                .OutputToFile(outputPath, true, o => o
                    .WithCustomArgument($"-c copy -movflags +faststart {string.Join(' ', BitExact)}{Metadata}")
                    .ForceFormat("mp4"))
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously();
        }
        finally
        {
            File.Delete(list);
        }
    }

    public async Task WriteJpegAsync(RawVideo frames, int frame, string outputPath, CancellationToken cancellationToken)
    {
        var single = new RawVideo(frames.Width, frames.Height, 1, frames.Frame(frame));
        await FFMpegArguments.FromPipeInput(new RawVideoPipeSource(Frames(single)) { FrameRate = VideoEncoding.Fps })
            .OutputToFile(outputPath, true, o => o
                .WithVideoCodec("mjpeg")
                .WithCustomArgument("-frames:v 1 -q:v 3 -pix_fmt yuvj420p")
                .ForceFormat("image2"))
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously();
    }

    public async Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(path, cancellationToken: cancellationToken);
        var video = analysis.PrimaryVideoStream ?? throw new InvalidDataException($"{path} has no video stream");
        int frames = await CountFramesAsync(path, cancellationToken);
        return new VideoInfo(video.Width ?? 0, video.Height ?? 0, video.AverageFrameRate, frames, video.CodecName ?? "", video.PixelFormat ?? "",
            analysis.Duration);
    }

    public async Task<RawVideo> ReadFramesAsync(string path, int? width, int? height, int? maxFrames, CancellationToken cancellationToken)
    {
        var analysis = await FFProbe.AnalyseAsync(path, cancellationToken: cancellationToken);
        var video = analysis.PrimaryVideoStream ?? throw new InvalidDataException($"{path} has no video stream");
        int outWidth = width ?? video.Width ?? 0, outHeight = height ?? video.Height ?? 0;
        using var buffer = new MemoryStream();
        await FFMpegArguments.FromFileInput(path)
            .OutputToPipe(new StreamPipeSink(buffer), o =>
            {
                var args = "-f rawvideo -pix_fmt rgb24";
                if (width is not null || height is not null) args += $" -vf scale={outWidth}:{outHeight}";
                if (maxFrames is not null) args += $" -frames:v {maxFrames.Value}";
                o.WithCustomArgument(args);
            })
            .CancellableThrough(cancellationToken)
            .ProcessAsynchronously();
        return RawVideo.Create(outWidth, outHeight, buffer.ToArray());
    }

    // An upload made into SVI frames: resampled to 16 fps, scaled to cover the video size and centre-cropped (the anchor image's rule).
    static string UploadFilter(int width, int height) =>
        $"fps={VideoEncoding.Fps},scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1";

    public async Task<UploadProbe> ProbeUploadAsync(string path, CancellationToken cancellationToken)
    {
        var output = await FfmpegProcess.RunAsync(FfmpegProcess.Ffprobe, path,
            ["-show_entries", "format=format_name,duration:stream=codec_type,width,height", "-of", "json"], cancellationToken);
        JsonElement root;
        try { root = JsonDocument.Parse(output).RootElement; }
        catch (JsonException) { throw new InvalidDataException("ffprobe gave no readable description of it"); }
        string container = root.TryGetProperty("format", out var format) && format.TryGetProperty("format_name", out var name)
            ? name.GetString() ?? "" : "";
        double? duration = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        var video = root.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("codec_type", out var t) && t.GetString() == "video")
            : default;
        if (video.ValueKind != JsonValueKind.Object) throw new InvalidDataException("it has no video stream");
        int width = video.TryGetProperty("width", out var w) ? w.GetInt32() : 0, height = video.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width <= 0 || height <= 0) throw new InvalidDataException("its video stream has no size");
        return new UploadProbe(container, width, height, duration);
    }

    public async Task<int> CountUploadFramesAsync(string path, CancellationToken cancellationToken, int? maxFrames = null)
    {
        string[] limit = maxFrames is { } max ? ["-frames:v", Invariant(max + 1)] : [];
        var bytes = await FfmpegProcess.RunAsync(FfmpegProcess.Ffmpeg, path,
            ["-map", "0:v:0", "-vf", $"fps={VideoEncoding.Fps},scale=2:2", .. limit, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], cancellationToken);
        if (bytes.Length == 0) throw new InvalidDataException("it has no decodable frames");
        return bytes.Length / 12;
    }

    public Task WriteUploadFirstFramePngAsync(string path, int width, int height, string outputPng, CancellationToken cancellationToken) =>
        FfmpegProcess.RunAsync(FfmpegProcess.Ffmpeg, path, ["-map", "0:v:0", "-vf", UploadFilter(width, height), "-frames:v", "1",
            "-f", "image2", "-c:v", "png", "-y", outputPng], cancellationToken);

    public Task EncodeUploadPartAsync(string path, int width, int height, string outputTs, CancellationToken cancellationToken) =>
        FfmpegProcess.RunAsync(FfmpegProcess.Ffmpeg, path, ["-map", "0:v:0", "-an", "-vf", UploadFilter(width, height),
            .. H264(VideoEncoding.Fps), "-f", "mpegts", "-y", outputTs], cancellationToken);

    public async Task<RawVideo> ReadFrameRangeAsync(string path, int width, int height, int first, int count, CancellationToken cancellationToken)
    {
        var select = $"select='between(n\\,{first}\\,{first + count - 1})'";
        var bytes = await FfmpegProcess.RunAsync(FfmpegProcess.Ffmpeg, path,
            ["-map", "0:v:0", "-vf", select, "-vsync", "vfr", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], cancellationToken);
        var video = RawVideo.Create(width, height, bytes);
        if (video.FrameCount != count) throw new InvalidDataException($"expected {count} frames from {first}, decoded {video.FrameCount}");
        return video;
    }

    public IEnumerable<RawVideo> ReadChunks(string path, int width, int height, int chunkFrames, CancellationToken cancellationToken)
    {
        int frameBytes = width * height * 3;
        return FfmpegProcess.Stream(path, ["-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], chunkFrames * frameBytes, frameBytes,
            cancellationToken).Select(chunk => RawVideo.Create(width, height, chunk));
    }

    static bool IsTransportStream(string path) => path.EndsWith(".ts", StringComparison.OrdinalIgnoreCase);

    static IEnumerable<IVideoFrame> Frames(RawVideo video)
    {
        for (int i = 0; i < video.FrameCount; i++) yield return new Rgb24Frame(video.Width, video.Height, video.Frame(i));
    }

    // ffprobe's decoded-frame count: exact, unlike the container's duration × rate.
    static async Task<int> CountFramesAsync(string path, CancellationToken cancellationToken)
    {
        var output = await FfmpegProcess.RunAsync(FfmpegProcess.Ffprobe, path,
            ["-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"], cancellationToken);
        return int.Parse(System.Text.Encoding.ASCII.GetString(output).Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    sealed class Rgb24Frame(int width, int height, ReadOnlyMemory<byte> pixels) : IVideoFrame
    {
        public int Width => width;
        public int Height => height;
        public string PixelFormat => "rgb24";
        public void Serialize(Stream pipe) => pipe.Write(pixels.Span);
        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(pixels, token).AsTask();
    }
}
