namespace Svi.Server.Models;

public sealed class DownloadFailedException(string path, string reason, Exception? inner = null)
    : ModelDownloadException(path, reason)
{
    public Exception? Cause { get; } = inner;
}
