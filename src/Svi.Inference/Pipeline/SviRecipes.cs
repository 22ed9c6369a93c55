using Svi.Inference.Runtime;

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

    /// <summary>Clips this tall or wide (in the short side) are 720p, below 480p.</summary>
    public const int HdShortSide = 720;

    public static bool IsHd(int width, int height) => Math.Min(width, height) >= HdShortSide;

    /// <summary>
    /// The weight roles a recipe adds to the image-to-video roles: the distilled recipe's LightX2V HIGH LoRA (Wan 2.2
    /// I2V-A14B v1030) and the Wan 2.1 I2V 480p distill on the low expert, at every resolution, as Kijai's public Pro
    /// workflow uses them (the 720p distill it once named was deleted from the hub).
    /// </summary>
    public static IReadOnlyList<ModelRole> Roles(this SviRecipe recipe) => recipe == SviRecipe.Distilled
        ? [ModelRole.DistillLoraHigh, ModelRole.DistillLoraLow]
        : [];
}
