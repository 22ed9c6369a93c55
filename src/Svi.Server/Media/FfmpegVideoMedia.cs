using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Pipes;

namespace Svi.Server.Media;

/// <summary>
/// <see cref="IVideoMedia"/> on the system's ffmpeg/ffprobe through FFMpegCore 6. Output is bit-exact (no
/// timestamps or library versions in metadata beyond the encoder's own), so encoding the same frames twice gives
/// the same bytes, which is what makes a resumed generation identical to an uninterrupted one.
/// </summary>
public sealed class FfmpegVideoMedia(VideoEncoding encoding) : IVideoMedia
{
    const string BitExact = "-fflags +bitexact -flags:v +bitexact -map_metadata -1";

    public FfmpegVideoMedia() : this(new VideoEncoding()) { }

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
                .WithVideoCodec("libx264")
                .WithCustomArgument($"-pix_fmt yuv420p -crf {encoding.ConstantRateFactor} -preset {encoding.Preset} " +
                                    $"-threads {encoding.Threads} -r {fps} {BitExact}{Metadata}")
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
                    .WithCustomArgument($"-c copy -movflags +faststart {BitExact}{Metadata}")
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

    static bool IsTransportStream(string path) => path.EndsWith(".ts", StringComparison.OrdinalIgnoreCase);

    static IEnumerable<IVideoFrame> Frames(RawVideo video)
    {
        for (int i = 0; i < video.FrameCount; i++) yield return new Rgb24Frame(video.Width, video.Height, video.Frame(i));
    }

    // ffprobe's decoded-frame count: exact, unlike the container's duration × rate.
    static async Task<int> CountFramesAsync(string path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Path.Combine(GlobalFFOptions.GetFFProbeBinaryPath()))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-select_streams", "v:0", "-count_frames",
                     "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffprobe did not start");
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        string error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidDataException($"ffprobe failed on {path}: {error.Trim()}");
        return int.Parse(output.Trim().TrimEnd(','), CultureInfo.InvariantCulture);
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
