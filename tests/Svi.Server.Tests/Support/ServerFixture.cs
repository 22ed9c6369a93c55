namespace Svi.Server.Tests.Support;

/// <summary>One database and one running server shared by a test class.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public SviTestServer Server { get; private set; } = null!;
    public string DataDirectory { get; } = SviTestServer.NewDataDirectory();
    public HttpClient Client => Server.Client;

    protected virtual bool WithWorker => true;
    protected virtual string[] ExtraConfig => [];
    /// <summary>Registrations that replace the server's own (they run first, so they win).</summary>
    protected virtual void Services(IServiceCollection services) { }
    public FixedModelInventory Inventory { get; } = new();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Server = await SviTestServer.StartAsync(Database, DataDirectory, WithWorker, inventory: Inventory, services: Services, extraConfig: ExtraConfig);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
