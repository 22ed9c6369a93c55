using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>
/// Which models a generation needs: its mode, its recipe (the distilled one merges the LightX2V LoRAs into the I2V
/// experts) and whether it is 720p (the low expert then takes the 720p distill). Two jobs with the same choice and files
/// can share loaded models.
/// </summary>
public sealed record SviModelChoice(SviMode Mode, SviRecipe Recipe, bool Hd)
{
    public static SviModelChoice For(GenerationSpec spec) =>
        new(SviModes.For(spec), spec.Recipe, SviRecipes.IsHd(spec.Width, spec.Height));

    /// <summary>The weight roles this choice loads.</summary>
    public IReadOnlyList<ModelRole> Roles => [.. Mode.Roles(), .. Recipe.Roles(Hd)];

    public override string ToString() => $"{Mode.Name()}, {Recipe.Name()}{(Hd ? ", 720p" : "")}";
}
