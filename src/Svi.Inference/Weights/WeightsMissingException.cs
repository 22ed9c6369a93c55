namespace Svi.Inference.Weights;

/// <summary>A weight file that is not on disk: names the file, what it is for and how to get it.</summary>
public sealed class WeightsMissingException(string path, string howToGet)
    : Exception($"weight file not found: {path}. {howToGet}")
{
    public string FilePath { get; } = path;

    public const string DefaultHint =
        "Download the model files (see README, 'Model files') or point the model directory setting at them.";
}
