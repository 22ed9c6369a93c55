namespace Svi.Server.Models;

/// <summary>A model file could not be downloaded; <see cref="Exception.Message"/> says what to do.</summary>
public abstract class ModelDownloadException(string path, string message) : Exception($"{path}: {message}")
{
    public string FilePath { get; } = path;
}

public sealed class HubFileNotFoundException(string path, Uri uri)
    : ModelDownloadException(path, $"the hub has no such file (404 at {uri}); the manifest entry may be outdated");

public sealed class HubAccessDeniedException(string path, Uri uri, int status)
    : ModelDownloadException(path, $"access denied ({status} at {uri}); set HF_TOKEN to a token that may read this repository");

public sealed class ChecksumMismatchException(string path, string what, string expected, string actual)
    : ModelDownloadException(path, $"{what} mismatch: expected {expected}, got {actual}; the partial file was deleted");

public sealed class DownloadFailedException(string path, string reason, Exception? inner = null)
    : ModelDownloadException(path, reason)
{
    public Exception? Cause { get; } = inner;
}
