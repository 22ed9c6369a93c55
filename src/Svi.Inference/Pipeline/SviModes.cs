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

    public static SviMode For(GenerationSpec spec) => spec.HasImage ? SviMode.ImageToVideo
        : spec.T2vQuality == T2vQuality.Fast ? SviMode.TextToVideoFast
        : SviMode.TextToVideoQuality;
}
