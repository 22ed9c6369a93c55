namespace Svi.Kernels.Safetensors;

/// <summary>A file that is not valid safetensors; the message names the file and what is wrong.</summary>
public sealed class SafetensorsFormatException(string path, string problem)
    : Exception($"{path}: not a valid safetensors file: {problem}")
{
    public string FilePath { get; } = path;
}
