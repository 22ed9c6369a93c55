namespace Svi.Server.Contracts;

/// <summary>Which weight variant is installed and which generation modes it allows; what is missing and how to get it.</summary>
public sealed record ModelModes(string? Variant, bool ImageToVideo, bool TextToVideoFast, bool TextToVideoQuality,
    IReadOnlyList<string> Missing, string Hint, string Weights)
{
    public static ModelModes From(Svi.Inference.Runtime.ModelAvailability a) =>
        new(a.Variant, a.ImageToVideo, a.TextToVideoFast, a.TextToVideoQuality, a.Missing, a.Hint, a.Weights);
}
