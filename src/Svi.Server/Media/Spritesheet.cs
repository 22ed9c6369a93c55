using System.Diagnostics;
using System.Globalization;
using FFMpegCore;

namespace Svi.Server.Media;

/// <summary>
/// A preview of a whole video in one JPEG: a grid of <see cref="Columns"/> × <see cref="Rows"/> tiles, the video's
/// frames at evenly spaced indices round(i·(F − 1)/15) for i = 0 … 15 (the first and the last frame included), left to
/// right then top to bottom, each scaled to <see cref="TileWidth"/> pixels wide with the video's aspect (height even).
/// </summary>
public static class Spritesheet
{
    public const int Columns = 4, Rows = 4, TileWidth = 256;
    public const int Tiles = Columns * Rows;

    /// <summary>Which frames of a <paramref name="frames"/>-frame video the tiles show (fewer when the video is shorter than the grid).</summary>
    public static IReadOnlyList<int> FrameIndices(int frames) => frames <= 1 ? [0]
        : [.. Enumerable.Range(0, Tiles).Select(i => (int)Math.Round(i * (frames - 1) / (double)(Tiles - 1))).Distinct()];

    /// <summary>The tile height for a video of the given size.</summary>
    public static int TileHeight(int width, int height) => Math.Max(2, (int)Math.Round(TileWidth * (double)height / width / 2) * 2);

    public static async Task WriteAsync(string video, int frames, int width, int height, string outputPath, CancellationToken ct)
    {
        var select = string.Join('+', FrameIndices(frames).Select(i => $"eq(n\\,{i.ToString(CultureInfo.InvariantCulture)})"));
        var filter = $"select='{select}',scale={TileWidth}:{TileHeight(width, height)},tile={Columns}x{Rows}";
        var info = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-y", "-i", video, "-vf", filter, "-vsync", "vfr", "-frames:v", "1",
                     "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", outputPath })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 || !File.Exists(outputPath))
            throw new InvalidDataException($"ffmpeg could not make a spritesheet of {video}: {(await error).Trim()}");
    }
}
