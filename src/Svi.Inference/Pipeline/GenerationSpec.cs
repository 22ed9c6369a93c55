namespace Svi.Inference.Pipeline;

/// <summary>
/// A validated generation request, as the pipeline consumes it and the server stores it. Both API surfaces and
/// <c>./svi generate</c> build it through one validator (Server's <c>Contracts/SpecValidator.cs</c>).
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
    /// <summary>Whether the video starts from an input image (image-to-video); where that image lies is the caller's business.</summary>
    public bool HasImage { get; init; }
    /// <summary>Only used without an image: how the anchor frame is made.</summary>
    public T2vQuality T2vQuality { get; init; } = T2vQuality.Quality;
    public int MotionLatents { get; init; } = 1;
    /// <summary>16, or 32: every pair of consecutive frames gets a RIFE middle frame (N frames become 2N − 1).</summary>
    public int Fps { get; init; } = 16;
    /// <summary>
    /// The strength of each LoRA the recipe loads (resolved at submit: the deployment's where the request named none).
    /// Null in specs stored before requests could name them: those render at the worker's deployment strengths
    /// (<see cref="SviDefaults.LorasFor(GenerationSpec)"/>).
    /// </summary>
    public LoraStrengths? LoraStrengths { get; init; }
    /// <summary>Overrides of the deployment's sampling defaults; null = deployment default.</summary>
    public int? Steps { get; init; }
    public double? Boundary { get; init; }
    public double? Shift { get; init; }
}
