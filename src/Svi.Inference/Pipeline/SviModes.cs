namespace Svi.Inference.Pipeline;

public static class SviModes
{
    public static string Name(this SviMode mode) => mode switch
    {
        SviMode.ImageToVideo => "i2v",
        SviMode.TextToVideoQuality => "t2v-quality",
        SviMode.TextToVideoFast => "t2v-fast",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static SviMode For(GenerationSpec spec) => For(spec.AnchorImagePath is not null, spec.T2vQuality);

    public static SviMode For(bool hasImage, string? t2vQuality) => hasImage ? SviMode.ImageToVideo
        : string.Equals(t2vQuality, "fast", StringComparison.OrdinalIgnoreCase) ? SviMode.TextToVideoFast
        : SviMode.TextToVideoQuality;
}
