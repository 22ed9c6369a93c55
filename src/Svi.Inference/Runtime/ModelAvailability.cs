namespace Svi.Inference.Runtime;

/// <param name="Variant">the installed variant that will be used (e.g. fp8, bf16), or null when none is complete</param>
/// <param name="Missing">files missing for image-to-video, as models-directory-relative paths</param>
/// <param name="Hint">what to do next, e.g. the ./svi models pull command</param>
/// <param name="Weights">files (installed weights) or random (seeded random weights, never a real model's output)</param>
public sealed record ModelAvailability(
    string Model, string? Variant, ModelFiles? Files,
    bool ImageToVideo, bool TextToVideoFast, bool TextToVideoQuality,
    IReadOnlyList<string> Missing, string Hint, string Weights = InferenceOptions.FilesWeights)
{
    public bool IsRandom => Weights == InferenceOptions.RandomWeights;

    /// <summary>The roles among <paramref name="roles"/> that no installed file fills (all of them when no variant is complete).</summary>
    public IReadOnlyList<ModelRole> MissingRoles(IEnumerable<ModelRole> roles) =>
        Files is { } files ? roles.Where(role => !files.Has(role)).ToList() : roles.ToList();
}
