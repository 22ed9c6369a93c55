using System.Globalization;
using Svi.Inference.Pipeline;

namespace Svi.Server.Contracts;

/// <summary>
/// The request's <c>recipe</c> and <c>cfg</c>, checked against the deployment's <see cref="SviDefaults"/>: the cfg a
/// recipe allows (distilled 1.0–2.0, reference 1–10) and its default when the request names none.
/// </summary>
public static class RecipeFields
{
    public static SviRecipe ReadRecipe(RequestFields f, SviDefaults defaults)
    {
        var text = f.String("recipe", 20);
        if (text is null) return defaults.Recipe;
        if (!SviRecipes.TryParse(text, out var recipe))
            throw ApiException.Invalid("recipe", $"'recipe' must be one of {string.Join(", ", SviRecipes.Names)}; got '{text}'.");
        return recipe;
    }

    /// <summary>The request's cfg, checked against the recipe's range; null when absent.</summary>
    public static double? ReadCfg(RequestFields f, SviRecipeSettings recipe)
    {
        var cfg = f.Number("cfg", p => DescribeCfg(p, recipe));
        if (cfg is { } c) Check(c, recipe);
        return cfg;
    }

    public static void Check(double cfg, SviRecipeSettings recipe)
    {
        if (!recipe.CfgAllowed(cfg))
            throw ApiException.Invalid("cfg", $"{DescribeCfg("cfg", recipe)}; got {cfg.ToString(CultureInfo.InvariantCulture)}.");
    }

    public static string DescribeCfg(string p, SviRecipeSettings recipe) => recipe.Recipe == SviRecipe.Distilled
        ? $"'{p}' must be a number from {recipe.MinCfg:0.0} to {recipe.MaxCfg:0.0} with the distilled recipe (1.0–1.3 lets scenes flow, " +
          "1.5–2.0 follows each prompt literally; above 1 runs the negative pass)"
        : $"'{p}' must be a number from {recipe.MinCfg:0.#} to {recipe.MaxCfg:0.#} with the reference recipe (the official script uses 4–5)";
}
