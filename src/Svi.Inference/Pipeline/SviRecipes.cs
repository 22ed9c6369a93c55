namespace Svi.Inference.Pipeline;

public static class SviRecipes
{
    public static readonly IReadOnlyList<string> Names = ["distilled", "reference"];

    public static string Name(this SviRecipe recipe) => recipe switch
    {
        SviRecipe.Distilled => "distilled",
        SviRecipe.Reference => "reference",
        _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
    };

    public static bool TryParse(string? text, out SviRecipe recipe)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "distilled": recipe = SviRecipe.Distilled; return true;
            case "reference": recipe = SviRecipe.Reference; return true;
            default: recipe = default; return false;
        }
    }

    /// <summary>A stored recipe name.</summary>
    /// <exception cref="ArgumentException">not a recipe name.</exception>
    public static SviRecipe Parse(string text) => TryParse(text, out var recipe) ? recipe
        : throw new ArgumentException($"'{text}' is not a recipe (expected one of {string.Join(", ", Names)})", nameof(text));

    /// <summary>Clips this tall or wide (in the short side) are 720p, below 480p: the manifest may name roles for either.</summary>
    public const int HdShortSide = 720;

    public static bool IsHd(int width, int height) => Math.Min(width, height) >= HdShortSide;
}
