namespace Svi.Inference.Weights;

/// <summary>A weight file that does not fit the architecture: names the file and the keys at fault.</summary>
public sealed class CheckpointFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;
}
