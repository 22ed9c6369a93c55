using System.Diagnostics;
using FFMpegCore;

namespace Svi.Server.Media;

/// <summary>
/// Runs ffmpeg or ffprobe on one input file, for <see cref="FfmpegVideoMedia"/>, which builds every argument list.
/// The input is read alone: only the <c>file</c> protocol and only container demuxers that never open another file are
/// allowed, so a playlist (HLS, concat, …) posted as a video cannot make ffmpeg read local files. Failures raise
/// <see cref="InvalidDataException"/> with the tool's reason, never with a server path. A cancelled run kills its process.
/// </summary>
static class FfmpegProcess
{
    /// <summary>The demuxers an input may use (ffmpeg matches each against a demuxer's names, e.g. "mov,mp4,m4a,…").</summary>
    public const string AllowedDemuxers = "mov,matroska,avi,mpegts,flv";

    public static string Ffmpeg => GlobalFFOptions.GetFFMpegBinaryPath();
    public static string Ffprobe => GlobalFFOptions.GetFFProbeBinaryPath();

    /// <summary>Runs <paramref name="binary"/> on <paramref name="input"/> to its end and returns what it wrote to stdout.</summary>
    public static async Task<byte[]> RunAsync(string binary, string input, IEnumerable<string> args, CancellationToken ct)
    {
        using var process = Start(binary, input, args);
        try
        {
            using var output = new MemoryStream();
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.BaseStream.CopyToAsync(output, ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) throw Failed(binary, input, await error);
            return output.ToArray();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Runs ffmpeg on <paramref name="input"/> and hands its stdout over <paramref name="chunkBytes"/> at a time (the last
    /// may be shorter, never inside a <paramref name="unitBytes"/> unit), read while the chunks are taken.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Stream(string input, IEnumerable<string> args, int chunkBytes, int unitBytes,
        CancellationToken ct)
    {
        using var process = Start(Ffmpeg, input, args);
        try
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            var output = process.StandardOutput.BaseStream;
            while (true)
            {
                var chunk = new byte[chunkBytes];
                int read = output.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
                ct.ThrowIfCancellationRequested();
                if (read % unitBytes != 0) throw new InvalidDataException($"it ended inside a frame ({read % unitBytes} of {unitBytes} bytes)");
                if (read > 0) yield return chunk.AsMemory(0, read);
                if (read < chunk.Length) break;
            }
            process.WaitForExit();
            if (process.ExitCode != 0) throw Failed(Ffmpeg, input, error.GetAwaiter().GetResult());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static InvalidDataException Failed(string binary, string input, string error) =>
        new($"{Path.GetFileName(binary)} cannot decode it: {Redact(LastLine(error), FolderOf(input))}");

    static string FolderOf(string input) => Path.GetDirectoryName(Path.GetFullPath(input))!;

    // The input is opened as file:NAME from its own folder, so the tool's messages name the file, not the server's paths.
    static Process Start(string binary, string input, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = FolderOf(input),
        };
        string[] stdin = binary == Ffmpeg ? ["-nostdin"] : [];
        string[] head = ["-v", "error", .. stdin, "-protocol_whitelist", "file", "-format_whitelist", AllowedDemuxers, "-i", "file:" + Path.GetFileName(input)];
        foreach (var arg in head.Concat(args)) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"{Path.GetFileName(binary)} did not start");
    }

    static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    static string Redact(string message, string folder) => message.Replace(folder + Path.DirectorySeparatorChar, "").Replace(folder, "");
}
