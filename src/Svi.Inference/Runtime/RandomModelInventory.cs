using Svi.Inference.Pipeline;
using Svi.Inference.Weights.Random;

namespace Svi.Inference.Runtime;

/// <summary>
/// The inventory under <c>Svi:Inference:Weights=random</c>: every mode is "installed", from seeded random weights
/// (<see cref="RandomModelFiles"/>), and the availability says so in <see cref="ModelAvailability.Weights"/> and its hint.
/// Which roles a generation needs is still the model's manifest's answer (<paramref name="roles"/>).
/// </summary>
public sealed class RandomModelInventory(string model, InferenceOptions options, Func<SviModelChoice, IReadOnlySet<ModelRole>?> roles)
    : IModelInventory
{
    public const string Warning =
        "RANDOM WEIGHTS (Svi:Inference:Weights=random): every video is noise from seeded random models, not SVI 2.0 Pro output";

    readonly ModelFiles files = RandomModelFiles.For(options.Variant, ModelArchitectures.For(options));

    public IReadOnlySet<ModelRole>? RolesFor(SviModelChoice choice) => roles(choice);

    public ModelAvailability Check() => new(model, files.Variant, files, true, true, true, [],
        $"Random {ModelArchitectures.NameFor(options)} weights: for trying the API and timing only. Set Svi:Inference:Weights=files and install the weights (./svi models pull) for real videos.",
        InferenceOptions.RandomWeights);
}
