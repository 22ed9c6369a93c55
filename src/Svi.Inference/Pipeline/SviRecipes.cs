namespace Svi.Inference.Pipeline;

public static class SviRecipes
{
    static readonly WireNames<SviRecipe> Wire = new((SviRecipe.Distilled, "distilled"), (SviRecipe.Reference, "reference"));

    public static IReadOnlyList<string> Names => Wire.Names;

    public static string Name(this SviRecipe recipe) => Wire.Name(recipe);

    public static bool TryParse(string? text, out SviRecipe recipe) => Wire.TryParse(text?.Trim().ToLowerInvariant(), out recipe);

    /// <summary>A stored recipe name.</summary>
    /// <exception cref="ArgumentException">not a recipe name.</exception>
    public static SviRecipe Parse(string text) => TryParse(text, out var recipe) ? recipe
        : throw new ArgumentException($"'{text}' is not a recipe (expected one of {string.Join(", ", Names)})", nameof(text));

    /// <summary>Clips this tall or wide (in the short side) are 720p, below 480p: the manifest may name roles for either.</summary>
    public const int HdShortSide = 720;

    public static bool IsHd(int width, int height) => Math.Min(width, height) >= HdShortSide;
}
