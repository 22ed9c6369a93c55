using System.Diagnostics;
using System.Globalization;
using FFMpegCore;

namespace Svi.Server.Media;

/// <summary>
/// An uploaded video made into SVI frames: resampled to 16 fps (ffmpeg's <c>fps</c> filter) and scaled to cover the
/// video size, then centre-cropped — the same rule as the anchor image. Corrupt or unsupported files raise
/// <see cref="InvalidDataException"/> with ffmpeg's reason.
/// </summary>
public static class UploadedVideo
{
    static string Filter(int width, int height) =>
        $"fps={VideoEncoding.Fps},scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1";

    /// <summary>Size of the first video stream; throws when the file is not a readable video.</summary>
    public static async Task<(int Width, int Height)> ProbeSizeAsync(string path, CancellationToken ct)
    {
        IMediaAnalysis analysis;
        try { analysis = await FFProbe.AnalyseAsync(path, cancellationToken: ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"ffprobe cannot read it: {e.Message}", e);
        }
        var video = analysis.PrimaryVideoStream ?? throw new InvalidDataException("it has no video stream");
        if (video.Width is not > 0 || video.Height is not > 0) throw new InvalidDataException("its video stream has no size");
        return (video.Width!.Value, video.Height!.Value);
    }

    /// <summary>How many frames the video has at 16 fps: every frame decoded (tiny), so a truncated file fails here.</summary>
    public static async Task<int> CountFramesAsync(string path, CancellationToken ct)
    {
        var bytes = await RunAsync(["-i", path, "-map", "0:v:0", "-vf", $"fps={VideoEncoding.Fps},scale=2:2", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], ct);
        if (bytes.Length == 0) throw new InvalidDataException("it has no decodable frames");
        return bytes.Length / 12;
    }

    /// <summary>The first frame at the video size, as a PNG (the extension's anchor image).</summary>
    public static Task WriteFirstFramePngAsync(string path, int width, int height, string outputPng, CancellationToken ct) =>
        RunAsync(["-i", path, "-map", "0:v:0", "-vf", Filter(width, height), "-frames:v", "1", "-f", "image2", "-c:v", "png", "-y", outputPng], ct);

    /// <summary>
    /// Encodes the resampled, cropped frames as an MPEG-TS clip part with the same encoder settings as
    /// <see cref="FfmpegVideoMedia.EncodeAsync"/>, so it joins the rendered parts without re-encoding.
    /// </summary>
    public static Task EncodePartAsync(string path, int width, int height, VideoEncoding encoding, string outputTs, CancellationToken ct) =>
        RunAsync(["-i", path, "-map", "0:v:0", "-an", "-vf", Filter(width, height), "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-crf", encoding.ConstantRateFactor.ToString(CultureInfo.InvariantCulture), "-preset", encoding.Preset,
            "-threads", encoding.Threads.ToString(CultureInfo.InvariantCulture), "-r", VideoEncoding.Fps.ToString(CultureInfo.InvariantCulture),
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", "-f", "mpegts", "-y", outputTs], ct);

    /// <summary>Frames [<paramref name="first"/>, first + count) of a video already at the video size and 16 fps.</summary>
    public static async Task<RawVideo> ReadFramesAsync(string path, int width, int height, int first, int count, CancellationToken ct)
    {
        var select = $"select='between(n\\,{first}\\,{first + count - 1})'";
        var bytes = await RunAsync(["-i", path, "-map", "0:v:0", "-vf", select, "-vsync", "vfr", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], ct);
        var video = RawVideo.Create(width, height, bytes);
        if (video.FrameCount != count) throw new InvalidDataException($"expected {count} frames from {first}, decoded {video.FrameCount}");
        return video;
    }

    static async Task<byte[]> RunAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-nostdin" }.Concat(args)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidDataException($"ffmpeg cannot decode it: {LastLine(await error)}");
        return output.ToArray();
    }

    static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
}
