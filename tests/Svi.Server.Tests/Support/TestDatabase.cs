using Npgsql;

namespace Svi.Server.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database on the server named by SVI_TEST_POSTGRES (set by <c>./svi test</c>), dropped afterwards.
/// With a connection limit, the server connects as a role of its own that PostgreSQL refuses more connections than
/// that (as a small production server would); the test's own queries run as the superuser, outside the limit.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string ConnectionString { get; }
    /// <summary>The superuser on this database, for the test's own queries.</summary>
    public string AdminConnectionString { get; }
    private readonly string adminConnection;
    private readonly string databaseName;
    private readonly bool ownRole;

    private TestDatabase(string admin, string name, string connectionString, bool ownRole)
    {
        adminConnection = admin; databaseName = name; ConnectionString = connectionString; this.ownRole = ownRole;
        AdminConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task<TestDatabase> CreateAsync(int? connectionLimit = null)
    {
        var admin = Environment.GetEnvironmentVariable("SVI_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "SVI_TEST_POSTGRES is not set: run the tests with './svi test', which starts a private PostgreSQL and sets it.");
        var name = "svi_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            string owner = "";
            if (connectionLimit is { } limit)
            {
                await using var role = new NpgsqlCommand($"CREATE ROLE \"{name}\" LOGIN CONNECTION LIMIT {limit}", conn);
                await role.ExecuteNonQueryAsync();
                owner = $" OWNER \"{name}\"";
            }
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{owner}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var csb = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        if (connectionLimit is not null) csb.Username = name;
        return new TestDatabase(admin, name, csb.ConnectionString, connectionLimit is not null);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The rows of a query as text, one a line, for failure messages.</summary>
    public async Task<string> DumpAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var reader = await new NpgsqlCommand(sql, conn).ExecuteReaderAsync();
        var text = new System.Text.StringBuilder($"{sql}:\n");
        while (await reader.ReadAsync())
            text.AppendLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        return text.ToString();
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(AdminConnectionString);
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
        await using (var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", conn))
            await cmd.ExecuteNonQueryAsync();
        if (ownRole)
        {
            await using var role = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{databaseName}\"", conn);
            await role.ExecuteNonQueryAsync();
        }
    }
}
