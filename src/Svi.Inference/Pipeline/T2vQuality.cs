namespace Svi.Inference.Pipeline;

/// <summary>
/// How a text-to-video generation makes its anchor frame: <see cref="Quality"/> with Wan 2.2 T2V-A14B, <see cref="Fast"/>
/// with its few-step distilled (Lightning) variant. An image-to-video generation has no use for it.
/// </summary>
public enum T2vQuality { Quality, Fast }

public static class T2vQualities
{
    static readonly WireNames<T2vQuality> Wire = new((T2vQuality.Fast, "fast"), (T2vQuality.Quality, "quality"));

    public static IReadOnlyList<string> Names => Wire.Names;

    public static string Name(this T2vQuality quality) => Wire.Name(quality);

    public static bool TryParse(string? text, out T2vQuality quality) => Wire.TryParse(text, out quality);
}
