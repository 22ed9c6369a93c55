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
    /// <summary>How the clips are sampled (<see cref="SviDefaults.Settings"/>); chosen at submit and stored with the generation.</summary>
    public required SviRecipe Recipe { get; init; }
    /// <summary>The guidance scale the clips run at (the recipe's default when the request named none); 1 skips the negative pass.</summary>
    public required double Cfg { get; init; }
    public required long Seed { get; init; }
    /// <summary>Path of the (already decoded, RGB) input image, or null for text-to-video.</summary>
    public string? AnchorImagePath { get; init; }
    /// <summary><c>fast</c> or <c>quality</c>; only used without an image.</summary>
    public string T2vQuality { get; init; } = "quality";
    public int MotionLatents { get; init; } = 1;
    /// <summary>16, or 32: every pair of consecutive frames gets a RIFE middle frame (N frames become 2N − 1).</summary>
    public int Fps { get; init; } = 16;
    /// <summary>Overrides of the deployment's sampling defaults; null = deployment default.</summary>
    public int? Steps { get; init; }
    public double? Boundary { get; init; }
    public double? Shift { get; init; }
}
