namespace Svi.Server.Models;

public sealed class HubAccessDeniedException(string path, Uri uri, int status)
    : ModelDownloadException(path, $"access denied ({status} at {uri}); set HF_TOKEN to a token that may read this repository");
