using System.Globalization;
using Svi.Inference.Pipeline;

namespace Svi.Server.Contracts;

/// <summary>
/// Video length rules for requests; the clip arithmetic itself is <see cref="ClipPlanner"/>'s. A request gets the
/// fewest 81-frame clips at 16 fps that cover it and is cut to round(seconds × 16) frames, so the shortest video is
/// one clip (81/16 = 5.0625 s) and the longest 121.5 s (26 clips). A positive request shorter than one clip (OpenAI's
/// <c>"4"</c>) is rounded up to one clip rather than refused, so existing OpenAI clients work unchanged.
/// </summary>
public static class Durations
{
    public const double DefaultSeconds = 18;

    public static string Describe(string param) =>
        $"'{param}' must be a number of seconds greater than 0 and at most {Format(ClipPlanner.MaxDurationSeconds)} " +
        $"(values below one clip, {Format(ClipPlanner.MinDurationSeconds)} s, are rounded up to one clip)";

    /// <summary>The length actually rendered for a requested length (whole frames, at least one clip), or null when out of range.</summary>
    public static double? Effective(double requested) =>
        double.IsFinite(requested) && requested > 0 && requested <= ClipPlanner.MaxDurationSeconds
            ? ClipPlanner.ForSeconds(requested).Seconds
            : null;

    public static string Format(double seconds) => seconds.ToString("0.####", CultureInfo.InvariantCulture);
}
