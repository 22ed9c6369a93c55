using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FFMpegCore;

namespace Svi.Server.Media;

/// <summary>
/// An uploaded video made into SVI frames: resampled to 16 fps (ffmpeg's <c>fps</c> filter) and scaled to cover the
/// video size, then centre-cropped — the same rule as the anchor image. Corrupt or unsupported files raise
/// <see cref="InvalidDataException"/> with ffmpeg's reason, never with a server path.
/// <para>
/// Every ffmpeg run reads the file alone: only the <c>file</c> protocol and only container demuxers that never open
/// another file are allowed, so a playlist (HLS, concat, …) posted as a video cannot make ffmpeg read local files.
/// A cancelled request kills its ffmpeg.
/// </para>
/// </summary>
public static class UploadedVideo
{
    /// <summary>The demuxers an upload may use (ffmpeg matches each against a demuxer's names, e.g. "mov,mp4,m4a,…").</summary>
    public const string AllowedDemuxers = "mov,matroska,avi,mpegts,flv";

    static string Filter(int width, int height) =>
        $"fps={VideoEncoding.Fps},scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1";

    /// <summary>What ffprobe reads from the container headers, without decoding a frame.</summary>
    public sealed record Probe(string Container, int Width, int Height, double? DurationSeconds);

    /// <summary>The container and first video stream; throws when the file is not a readable video of an allowed container.</summary>
    public static async Task<Probe> ProbeAsync(string path, CancellationToken ct)
    {
        var output = await RunAsync(GlobalFFOptions.GetFFProbeBinaryPath(), path,
            ["-show_entries", "format=format_name,duration:stream=codec_type,width,height", "-of", "json"], [], ct);
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
        return new Probe(container, width, height, duration);
    }

    /// <summary>Size of the first video stream; throws when the file is not a readable video.</summary>
    public static async Task<(int Width, int Height)> ProbeSizeAsync(string path, CancellationToken ct)
    {
        var probe = await ProbeAsync(path, ct);
        return (probe.Width, probe.Height);
    }

    /// <summary>
    /// How many frames the video has at 16 fps: every frame decoded (tiny), so a truncated file fails here. With
    /// <paramref name="maxFrames"/>, decoding stops after one frame more than that, so a long video costs no more.
    /// </summary>
    public static async Task<int> CountFramesAsync(string path, CancellationToken ct, int? maxFrames = null)
    {
        string[] limit = maxFrames is { } max ? ["-frames:v", (max + 1).ToString(CultureInfo.InvariantCulture)] : [];
        var bytes = await RunFfmpegAsync(path,
            ["-map", "0:v:0", "-vf", $"fps={VideoEncoding.Fps},scale=2:2", .. limit, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], ct);
        if (bytes.Length == 0) throw new InvalidDataException("it has no decodable frames");
        return bytes.Length / 12;
    }

    /// <summary>The first frame at the video size, as a PNG (the extension's anchor image).</summary>
    public static Task WriteFirstFramePngAsync(string path, int width, int height, string outputPng, CancellationToken ct) =>
        RunFfmpegAsync(path, ["-map", "0:v:0", "-vf", Filter(width, height), "-frames:v", "1", "-f", "image2", "-c:v", "png", "-y", outputPng], ct);

    /// <summary>
    /// Encodes the resampled, cropped frames as an MPEG-TS clip part with the same encoder settings as
    /// <see cref="FfmpegVideoMedia.EncodeAsync(RawVideo, string, CancellationToken)"/>, so it joins the rendered parts without re-encoding.
    /// </summary>
    public static Task EncodePartAsync(string path, int width, int height, VideoEncoding encoding, string outputTs, CancellationToken ct) =>
        RunFfmpegAsync(path, ["-map", "0:v:0", "-an", "-vf", Filter(width, height), "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-crf", encoding.ConstantRateFactor.ToString(CultureInfo.InvariantCulture), "-preset", encoding.Preset,
            "-threads", encoding.Threads.ToString(CultureInfo.InvariantCulture), "-r", VideoEncoding.Fps.ToString(CultureInfo.InvariantCulture),
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", "-f", "mpegts", "-y", outputTs], ct);

    /// <summary>Frames [<paramref name="first"/>, first + count) of a video already at the video size and 16 fps.</summary>
    public static async Task<RawVideo> ReadFramesAsync(string path, int width, int height, int first, int count, CancellationToken ct)
    {
        var select = $"select='between(n\\,{first}\\,{first + count - 1})'";
        var bytes = await RunFfmpegAsync(path, ["-map", "0:v:0", "-vf", select, "-vsync", "vfr", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], ct);
        var video = RawVideo.Create(width, height, bytes);
        if (video.FrameCount != count) throw new InvalidDataException($"expected {count} frames from {first}, decoded {video.FrameCount}");
        return video;
    }

    /// <summary>
    /// Every frame of a video already at the video size and 16 fps, <paramref name="chunkFrames"/> at a time (the last
    /// chunk may be shorter), decoded while the chunks are taken, so memory holds one chunk.
    /// </summary>
    public static IEnumerable<RawVideo> ReadChunks(string path, int width, int height, int chunkFrames, CancellationToken ct)
    {
        int frameBytes = width * height * 3;
        using var process = Start(GlobalFFOptions.GetFFMpegBinaryPath(), path, ["-nostdin"],
            ["-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        try
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            var output = process.StandardOutput.BaseStream;
            while (true)
            {
                var chunk = new byte[chunkFrames * frameBytes];
                int read = output.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
                ct.ThrowIfCancellationRequested();
                if (read % frameBytes != 0) throw new InvalidDataException($"it ended inside a frame ({read % frameBytes} of {frameBytes} bytes)");
                if (read > 0) yield return RawVideo.Create(width, height, chunk.AsMemory(0, read));
                if (read < chunk.Length) break;
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidDataException($"ffmpeg cannot decode it: {Redact(LastLine(error.GetAwaiter().GetResult()), FolderOf(path))}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static Task<byte[]> RunFfmpegAsync(string input, IEnumerable<string> args, CancellationToken ct) =>
        RunAsync(GlobalFFOptions.GetFFMpegBinaryPath(), input, ["-nostdin"], args, ct);

    static async Task<byte[]> RunAsync(string binary, string input, IEnumerable<string> before, IEnumerable<string> args, CancellationToken ct)
    {
        using var process = Start(binary, input, before, args);
        try
        {
            using var output = new MemoryStream();
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.BaseStream.CopyToAsync(output, ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new InvalidDataException($"{Path.GetFileName(binary)} cannot decode it: {Redact(LastLine(await error), FolderOf(input))}");
            return output.ToArray();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static string FolderOf(string input) => Path.GetDirectoryName(Path.GetFullPath(input))!;

    // The input is opened as file:NAME from its own folder, so ffmpeg's messages name the file, not the server's paths.
    static Process Start(string binary, string input, IEnumerable<string> before, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = FolderOf(input),
        };
        string[] head = ["-v", "error", .. before, "-protocol_whitelist", "file", "-format_whitelist", AllowedDemuxers, "-i", "file:" + Path.GetFileName(input)];
        foreach (var arg in head.Concat(args)) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"{Path.GetFileName(binary)} did not start");
    }

    static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    static string Redact(string message, string folder) => message.Replace(folder + Path.DirectorySeparatorChar, "").Replace(folder, "");
}
