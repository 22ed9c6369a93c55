namespace Svi.Inference.Weights;

/// <summary>A weight file that is not on disk: names the file, what it is for and how to get it.</summary>
public sealed class WeightsMissingException : Exception
{
    public WeightsMissingException(string path, string howToGet) : base($"weight file not found: {path}. {howToGet}") => FilePath = path;

    /// <summary>Roles a generation needs that are not installed, in <see cref="Runtime.RequiredWeights"/>' words.</summary>
    public WeightsMissingException(IEnumerable<Runtime.ModelRole> roles, string message) : base(message) =>
        FilePath = string.Join(", ", roles);

    public string FilePath { get; }

    public const string DefaultHint =
        "Download the model files (see README, 'Model files') or point the model directory setting at them.";
}
