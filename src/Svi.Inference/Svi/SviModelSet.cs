using Svi.Inference.Runtime;
using Svi.Inference.Text;
using Svi.Inference.Wan;
using static TorchSharp.torch;

namespace Svi.Inference.Svi;

/// <summary>Which path a generation takes; recorded with the generation.</summary>
public enum SviMode { ImageToVideo, TextToVideoQuality, TextToVideoFast }

public static class SviModes
{
    public static string Name(this SviMode mode) => mode switch
    {
        SviMode.ImageToVideo => "i2v",
        SviMode.TextToVideoQuality => "t2v-quality",
        SviMode.TextToVideoFast => "t2v-fast",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static SviMode For(GenerationSpec spec) => spec.AnchorImagePath is not null ? SviMode.ImageToVideo
        : string.Equals(spec.T2vQuality, "fast", StringComparison.OrdinalIgnoreCase) ? SviMode.TextToVideoFast
        : SviMode.TextToVideoQuality;

    /// <summary>The weight roles a mode needs.</summary>
    public static IReadOnlyList<ModelRole> Roles(this SviMode mode) => mode switch
    {
        SviMode.ImageToVideo => I2v,
        SviMode.TextToVideoQuality => [.. I2v, ModelRole.T2vDitHigh, ModelRole.T2vDitLow],
        SviMode.TextToVideoFast => [.. I2v, ModelRole.T2vDitHigh, ModelRole.T2vDitLow, ModelRole.DistillLoraHigh, ModelRole.DistillLoraLow],
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    static readonly ModelRole[] I2v =
        [ModelRole.DitHigh, ModelRole.DitLow, ModelRole.LoraHigh, ModelRole.LoraLow, ModelRole.Vae, ModelRole.TextEncoder, ModelRole.Tokenizer];
}

/// <summary>The models one generation runs, loaded once per job and freed with it.</summary>
public sealed class SviModelSet(ExpertPair experts, IVideoVae vae, ITextEncoder textEncoder, ExpertPair? anchorExperts,
    ScalarType dtype, Device device, IEnumerable<IDisposable> owned) : IDisposable
{
    readonly List<IDisposable> owned = owned.ToList();

    public ExpertPair Experts { get; } = experts;
    public IVideoVae Vae { get; } = vae;
    public ITextEncoder TextEncoder { get; } = textEncoder;
    public ExpertPair? AnchorExperts { get; } = anchorExperts;
    public ScalarType DType { get; } = dtype;
    public Device Device { get; } = device;
    /// <summary>Guidance runs both prompts as one batch-2 forward (the memory plan left room for it).</summary>
    public bool BatchedGuidance { get; init; }

    public void Dispose()
    {
        foreach (var item in owned) item.Dispose();
        owned.Clear();
    }
}

/// <summary>Builds a mode's models from installed weight files.</summary>
public interface ISviModelLoader
{
    /// <exception cref="Weights.WeightsMissingException">a file the mode needs is not installed</exception>
    SviModelSet Load(ModelFiles files, SviMode mode);
}
