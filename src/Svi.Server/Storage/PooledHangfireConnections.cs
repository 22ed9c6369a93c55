using Hangfire.PostgreSql;
using Npgsql;

namespace Svi.Server.Storage;

/// <summary>Hangfire's connections, from the process's pool.</summary>
public sealed class PooledHangfireConnections(NpgsqlDataSource db) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => db.CreateConnection();
}
