namespace Svi.Inference.Pipeline;

/// <summary>
/// Which models a generation needs: its mode, its recipe (the distilled one merges the LightX2V LoRAs into the I2V
/// experts, the same files at every resolution), whether it is 720p and the strengths its LoRAs merge at. Two jobs with
/// the same choice and files can share loaded models; other strengths mean other merged weights, so another load. Which
/// weight roles it needs is the model manifest's answer (<see cref="Runtime.IModelInventory.RolesFor"/>), whatever the strengths.
/// </summary>
/// <param name="Interpolates">32 fps: the RIFE ONNX file runs after the clips (it is not loaded with the other models)</param>
/// <param name="Loras">the strengths to merge at; null, or a role it lacks: the loader's deployment strengths</param>
public sealed record SviModelChoice(SviMode Mode, SviRecipe Recipe, bool Hd, bool Interpolates = false, LoraStrengths? Loras = null)
{
    /// <summary>What the spec asks for, with the strengths it names (none for a spec stored before it could).</summary>
    public static SviModelChoice For(GenerationSpec spec) =>
        new(SviModes.For(spec), spec.Recipe, SviRecipes.IsHd(spec.Width, spec.Height), spec.Fps == 32, spec.LoraStrengths);

    /// <summary>What the spec renders with: every strength resolved, the deployment's where the spec has none.</summary>
    public static SviModelChoice For(GenerationSpec spec, SviDefaults defaults) => For(spec) with { Loras = defaults.LorasFor(spec) };

    public override string ToString() => $"{Mode.Name()}, {Recipe.Name()}{(Hd ? ", 720p" : "")}{(Interpolates ? ", 32 fps" : "")}";
}
