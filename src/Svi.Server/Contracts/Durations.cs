using System.Globalization;

namespace Svi.Server.Contracts;

/// <summary>
/// Video length rules. SVI renders whole clips of 81 frames at 16 fps, so the shortest video is one clip
/// (81/16 = 5.0625 s) and the longest 24 clips (121.5 s). A positive request shorter than one clip (OpenAI's
/// <c>"4"</c>) is rounded up to one clip rather than refused, so existing OpenAI clients work unchanged.
/// </summary>
public static class Durations
{
    public const int FramesPerClip = 81;
    public const int FramesPerSecond = 16;
    public const double OneClipSeconds = FramesPerClip / (double)FramesPerSecond;
    public const double MaxSeconds = 121.5;
    public const double DefaultSeconds = 18;

    public static string Describe(string param) =>
        $"'{param}' must be a number of seconds greater than 0 and at most {Format(MaxSeconds)} " +
        $"(values below one clip, {Format(OneClipSeconds)} s, are rounded up to one clip)";

    /// <summary>The length actually rendered for a requested length, or null when the request is out of range.</summary>
    public static double? Effective(double requested) =>
        double.IsFinite(requested) && requested > 0 && requested <= MaxSeconds ? Math.Max(requested, OneClipSeconds) : null;

    /// <summary>Clips the planner will need; the renderer reports the exact count once it runs.</summary>
    public static int EstimatedClips(double seconds) =>
        Math.Max(1, (int)Math.Ceiling(Math.Round(seconds * FramesPerSecond) / FramesPerClip));

    public static string Format(double seconds) => seconds.ToString("0.####", CultureInfo.InvariantCulture);
}
