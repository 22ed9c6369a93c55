namespace Svi.Inference.Pipeline;

/// <summary>
/// A validated generation request, as the pipeline consumes it. The HTTP layer maps requests onto it;
/// <c>./svi generate</c> builds it from flags.
/// </summary>
public sealed record GenerationSpec
{
    public required string Model { get; init; }
    /// <summary>One prompt per clip; the last one repeats when there are more clips than prompts.</summary>
    public required IReadOnlyList<string> Prompts { get; init; }
    public required string NegativePrompt { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>Requested length in seconds; the output is trimmed to round(DurationSeconds × 16) frames.</summary>
    public required double DurationSeconds { get; init; }
    public required double Cfg { get; init; }
    public required long Seed { get; init; }
    /// <summary>Path of the (already decoded, RGB) input image, or null for text-to-video.</summary>
    public string? AnchorImagePath { get; init; }
    /// <summary><c>fast</c> or <c>quality</c>; only used without an image.</summary>
    public string T2vQuality { get; init; } = "quality";
    public int MotionLatents { get; init; } = 1;
    /// <summary>Overrides of the deployment's sampling defaults; null = deployment default.</summary>
    public int? Steps { get; init; }
    public double? Boundary { get; init; }
    public double? Shift { get; init; }
}
