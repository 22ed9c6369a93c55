namespace Svi.Inference.Runtime;

/// <summary>What is installed under the models directory, and so which generation modes can run.</summary>
public interface IModelInventory
{
    ModelAvailability Check();
}
