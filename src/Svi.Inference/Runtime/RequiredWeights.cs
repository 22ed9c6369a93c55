using Svi.Inference.Pipeline;
using Svi.Inference.Weights;

namespace Svi.Inference.Runtime;

/// <summary>
/// The one check of a generation's weights, which the submission, the worker and the renderer all ask: the roles its
/// <see cref="SviModelChoice"/> needs (the inventory's manifest says which) against what is installed, worded once.
/// </summary>
public static class RequiredWeights
{
    /// <summary>What <paramref name="choice"/> lacks, as every caller says it; null when all its weights are installed.</summary>
    public static string? Missing(this IModelInventory inventory, SviModelChoice choice) =>
        Missing(inventory, choice, inventory.Check(), out _);

    /// <summary>The installed files of exactly the roles <paramref name="choice"/> needs.</summary>
    /// <exception cref="WeightsMissingException">some are not installed (the message of <see cref="Missing(IModelInventory, SviModelChoice)"/>)</exception>
    public static ModelFiles FilesFor(this IModelInventory inventory, SviModelChoice choice)
    {
        var availability = inventory.Check();
        if (Missing(inventory, choice, availability, out var roles) is { } message) throw new WeightsMissingException(roles, message);
        return availability.Files!.Only(inventory.RolesFor(choice)!);
    }

    static string? Missing(IModelInventory inventory, SviModelChoice choice, ModelAvailability availability, out IReadOnlyList<ModelRole> missing)
    {
        missing = [];
        if (inventory.RolesFor(choice) is not { } roles) return $"{availability.Model} has no {choice.Mode.Name()} mode.";
        missing = availability.MissingRoles(roles);
        if (missing.Count == 0) return null;
        return $"The weights for {choice} are not installed: {string.Join(", ", missing)} of {availability.Model}. " +
               $"Run '{PullCommand(availability.Variant, choice, missing)}' (or set Svi:ModelsDirectory to where the weights are).";
    }

    static string PullCommand(string? variant, SviModelChoice choice, IReadOnlyList<ModelRole> missing) =>
        "./svi models pull" + (missing.Contains(ModelRole.Interpolation) ? " --interpolation" : "") +
        (missing.Any(r => r.ToString().StartsWith("T2v", StringComparison.Ordinal)) ? " --t2v" : "") +
        (variant is null ? "" : $" --variant {variant}") + $" --recipe {choice.Recipe.Name()}";
}
