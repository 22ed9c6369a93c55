namespace Svi.Inference.Runtime;

/// <summary>What is installed under the models directory, and so which generation modes can run.</summary>
public interface IModelInventory
{
    ModelAvailability Check();

    /// <summary>The installed RIFE ONNX file that renders fps 32, or null when it is not installed.</summary>
    string? InterpolationModel() => Check().Files?.Get(ModelRole.Interpolation).FirstOrDefault();
}
