using Npgsql;

namespace Svi.Server.Tests.Support;

/// <summary>
/// A test class whose every test gets a database of its own (and, on first use, a data directory and a connection
/// pool), all dropped after the test.
/// </summary>
public abstract class FreshDatabaseTests : IAsyncLifetime
{
    string? dataDirectory;
    NpgsqlDataSource? dataSource;

    protected TestDatabase Database { get; private set; } = null!;
    protected string DataDirectory => dataDirectory ??= SviTestServer.NewDataDirectory();
    protected NpgsqlDataSource DataSource => dataSource ??= NpgsqlDataSource.Create(Database.ConnectionString);

    public virtual async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public virtual async Task DisposeAsync()
    {
        if (dataSource is not null) await dataSource.DisposeAsync();
        await Database.DisposeAsync();
        if (dataDirectory is not null)
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
