namespace Svi.Testing;

/// <summary>
/// The one <see cref="GenerationSpec"/> tests start from: a two-clip-prompt, two-step reference-recipe render of a tiny
/// model's size. A test states only what it varies (<c>TestSpecs.Tiny(frames / 16.0) with { Cfg = 4 }</c>).
/// </summary>
public static class TestSpecs
{
    public static GenerationSpec Tiny(double seconds = 81 / 16.0, int width = 32, int height = 32, bool image = true,
        T2vQuality t2v = T2vQuality.Quality) => new()
        {
            Model = "svi-2-0-pro",
            Prompts = ["a boat", "the boat turns"],
            NegativePrompt = "blurry",
            Width = width,
            Height = height,
            DurationSeconds = seconds,
            Recipe = SviRecipe.Reference,
            Cfg = 1.5,
            Seed = 1234,
            HasImage = image,
            T2vQuality = t2v,
            Steps = 2,
        };

    /// <summary>A theory's <c>"fast"</c> or <c>"quality"</c>.</summary>
    public static T2vQuality Quality(string name) =>
        T2vQualities.TryParse(name, out var quality) ? quality : throw new ArgumentException($"no t2v quality '{name}'", nameof(name));
}
