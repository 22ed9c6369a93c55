using Npgsql;
using Svi.Server.Hosting;

namespace Svi.Server.Storage;

/// <summary>
/// The process's one PostgreSQL pool. Records, workers and Hangfire all draw from it, so a process never holds more
/// than <c>Svi:Database:MaxConnections</c> connections, and a create's record and its Hangfire job can commit in one
/// transaction (Npgsql hands a connection closed inside a transaction back to the next open in the same transaction).
/// </summary>
public static class DatabasePool
{
    public static NpgsqlDataSource Create(string connectionString, DatabaseOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = options.MaxConnections;
        // Waiting longer than this for a pooled connection fails the request with 503 and Retry-After.
        builder.ConnectionStringBuilder.Timeout = options.AcquireTimeoutSeconds;
        builder.ConnectionStringBuilder.Enlist = true;
        return builder.Build();
    }
}
