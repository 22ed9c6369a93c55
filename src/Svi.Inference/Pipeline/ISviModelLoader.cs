using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>Builds a generation's models from installed weight files.</summary>
public interface ISviModelLoader
{
    /// <exception cref="Weights.WeightsMissingException">a file the choice needs is not installed</exception>
    SviModelSet Load(ModelFiles files, SviModelChoice choice);
}
