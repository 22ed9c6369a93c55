using Npgsql;

namespace Svi.Server.Tests.Support;

/// <summary>A fresh PostgreSQL database on the server named by SVI_TEST_POSTGRES (set by <c>./svi test</c>), dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string ConnectionString { get; }
    private readonly string adminConnection;
    private readonly string databaseName;

    private TestDatabase(string admin, string name, string connectionString)
    {
        adminConnection = admin; databaseName = name; ConnectionString = connectionString;
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("SVI_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "SVI_TEST_POSTGRES is not set: run the tests with './svi test', which starts a private PostgreSQL and sets it.");
        var name = "svi_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(admin, name, cs);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(adminConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
