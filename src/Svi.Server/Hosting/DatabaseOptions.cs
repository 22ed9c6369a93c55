namespace Svi.Server.Hosting;

/// <summary>
/// The connection budget of one process: the app and Hangfire draw from the same pool, so the process never holds
/// more than <see cref="MaxConnections"/> connections (plus one LISTEN connection per worker process).
/// </summary>
public sealed class DatabaseOptions
{
    public int MaxConnections { get; set; } = 20;
    /// <summary>How long a request waits for a free connection before it is answered 503 with Retry-After.</summary>
    public int AcquireTimeoutSeconds { get; set; } = 5;
}
