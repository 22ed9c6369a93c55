namespace Svi.Server.Models;

public sealed class HubFileNotFoundException(string path, Uri uri)
    : ModelDownloadException(path, $"the hub has no such file (404 at {uri}); the manifest entry may be outdated");
