namespace Svi.Server.Models;

public sealed class ChecksumMismatchException(string path, string what, string expected, string actual)
    : ModelDownloadException(path, $"{what} mismatch: expected {expected}, got {actual}; the partial file was deleted");
