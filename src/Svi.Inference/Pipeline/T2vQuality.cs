namespace Svi.Inference.Pipeline;

/// <summary>
/// How a text-to-video generation makes its anchor frame: <see cref="Quality"/> with Wan 2.2 T2V-A14B, <see cref="Fast"/>
/// with its few-step distilled (Lightning) variant. An image-to-video generation has no use for it.
/// </summary>
public enum T2vQuality { Quality, Fast }

public static class T2vQualities
{
    public static readonly IReadOnlyList<string> Names = ["fast", "quality"];

    public static string Name(this T2vQuality quality) => quality switch
    {
        T2vQuality.Quality => "quality",
        T2vQuality.Fast => "fast",
        _ => throw new ArgumentOutOfRangeException(nameof(quality)),
    };

    public static bool TryParse(string? text, out T2vQuality quality)
    {
        switch (text)
        {
            case "quality": quality = T2vQuality.Quality; return true;
            case "fast": quality = T2vQuality.Fast; return true;
            default: quality = default; return false;
        }
    }
}
