namespace Svi.Inference.Pipeline;

/// <summary>
/// Which models a generation needs: its mode, its recipe (the distilled one merges the LightX2V LoRAs into the I2V
/// experts, the same files at every resolution) and whether it is 720p. Two jobs with the same choice and files
/// can share loaded models. Which weight roles it needs is the model manifest's answer
/// (<see cref="Runtime.IModelInventory.RolesFor"/>).
/// </summary>
/// <param name="Interpolates">32 fps: the RIFE ONNX file runs after the clips (it is not loaded with the other models)</param>
public sealed record SviModelChoice(SviMode Mode, SviRecipe Recipe, bool Hd, bool Interpolates = false)
{
    public static SviModelChoice For(GenerationSpec spec) =>
        new(SviModes.For(spec), spec.Recipe, SviRecipes.IsHd(spec.Width, spec.Height), spec.Fps == 32);

    public override string ToString() => $"{Mode.Name()}, {Recipe.Name()}{(Hd ? ", 720p" : "")}{(Interpolates ? ", 32 fps" : "")}";
}
