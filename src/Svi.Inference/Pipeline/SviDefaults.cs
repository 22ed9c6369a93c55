using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>
/// A deployment's sampling defaults; a request may override steps, boundary and shift. Built from
/// <see cref="InferenceOptions"/> (<see cref="From"/>) so the server, its workers and <c>./svi generate</c> sample alike.
/// </summary>
public sealed record SviDefaults
{
    /// <summary>The SVI 2.0 Pro reference: 50 Euler steps, shift 5, expert switch at t = 875.</summary>
    public int Steps { get; init; } = 50;
    public double Shift { get; init; } = 5.0;
    public double Boundary { get; init; } = 0.875;

    /// <summary>
    /// The LightX2V distill preset for the image-to-video clips (Svi:Inference:Fast:Enabled), or null for full sampling.
    /// When set it replaces the request's steps and cfg: the distill LoRAs are trained for exactly this few-step,
    /// unguided schedule, so more steps or cfg &gt; 1 would only cost time and burn the image.
    /// </summary>
    public SviSampling? FastImageToVideo { get; init; }

    /// <summary>The T2V-A14B anchor frame (quality tier): Wan 2.2 T2V's own 40 steps, shift 12, boundary 0.875, cfg 4.</summary>
    public SviSampling AnchorQuality { get; init; } = new(40, 12.0, 0.875, 4.0);
    /// <summary>The distilled anchor frame (fast tier): 4 steps without guidance.</summary>
    public SviSampling AnchorFast { get; init; } = new(4, 5.0, 0.875, 1.0);

    /// <summary>Wan's standard negative prompt (Wan 2.2 <c>sample_neg_prompt</c>), which the reference uses for every clip.</summary>
    public const string WanNegativePrompt =
        "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，" +
        "多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走";

    public SviSampling For(GenerationSpec spec) => FastImageToVideo is { } fast
        ? fast with { Shift = spec.Shift ?? fast.Shift }
        : new(spec.Steps ?? Steps, spec.Shift ?? Shift, spec.Boundary ?? Boundary, spec.Cfg);

    /// <summary>The defaults of a deployment's <c>Svi:Inference</c> section (validated by the caller).</summary>
    public static SviDefaults From(InferenceOptions options) => new()
    {
        Steps = options.Steps,
        Shift = options.Shift,
        Boundary = options.Boundary,
        FastImageToVideo = options.Fast.Enabled
            ? new SviSampling(options.Fast.Steps, options.Shift, options.Boundary, options.Fast.Guidance, options.Fast.HighNoiseSteps)
            : null,
    };

    public SviSampling Anchor(SviMode mode) => mode == SviMode.TextToVideoFast ? AnchorFast : AnchorQuality;
}
