namespace Svi.Server.Models;

/// <summary>A model file could not be downloaded; <see cref="Exception.Message"/> says what to do.</summary>
public abstract class ModelDownloadException(string path, string message) : Exception($"{path}: {message}")
{
    public string FilePath { get; } = path;
}
