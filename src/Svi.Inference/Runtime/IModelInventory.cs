using Svi.Inference.Pipeline;

namespace Svi.Inference.Runtime;

/// <summary>What is installed under the models directory, and so which generation modes can run.</summary>
public interface IModelInventory
{
    ModelAvailability Check();

    /// <summary>
    /// The roles a generation of <paramref name="choice"/> needs, as the model's manifest says (the only record of
    /// it); null when the model has no such mode. <see cref="RequiredWeights"/> checks them against what is installed.
    /// </summary>
    IReadOnlySet<ModelRole>? RolesFor(SviModelChoice choice);

    /// <summary>The installed RIFE ONNX file that renders fps 32, or null when it is not installed.</summary>
    string? InterpolationModel() => Check().Files?.Get(ModelRole.Interpolation).FirstOrDefault();
}
