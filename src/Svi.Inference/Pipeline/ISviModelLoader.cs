using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>Builds a mode's models from installed weight files.</summary>
public interface ISviModelLoader
{
    /// <exception cref="Weights.WeightsMissingException">a file the mode needs is not installed</exception>
    SviModelSet Load(ModelFiles files, SviMode mode);
}
