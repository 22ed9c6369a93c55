using Svi.Inference.Runtime;

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

    /// <summary>The weight roles a mode needs under any recipe (the recipe's own: <see cref="SviRecipes.Roles"/>).</summary>
    public static IReadOnlyList<ModelRole> Roles(this SviMode mode) => mode switch
    {
        SviMode.ImageToVideo => I2v,
        SviMode.TextToVideoQuality => [.. I2v, ModelRole.T2vDitHigh, ModelRole.T2vDitLow],
        SviMode.TextToVideoFast => [.. I2v, ModelRole.T2vDitHigh, ModelRole.T2vDitLow, ModelRole.T2vDistillLoraHigh, ModelRole.T2vDistillLoraLow],
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    static readonly ModelRole[] I2v =
        [ModelRole.DitHigh, ModelRole.DitLow, ModelRole.LoraHigh, ModelRole.LoraLow, ModelRole.Vae, ModelRole.TextEncoder, ModelRole.Tokenizer];
}
