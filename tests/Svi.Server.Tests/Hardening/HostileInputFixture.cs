namespace Svi.Server.Tests.Hardening;

/// <summary>An API-only server with small limits, and a completed, rendered text-only video to remix and extend.</summary>
public sealed class HostileInputFixture : ApiOnlyFixture
{
    protected override string[] ExtraConfig =>
    [
        "--Svi:MaxImageBytes=200000", "--Svi:MaxImagePixels=1000000", "--Svi:MaxJsonBodyBytes=300000",
        "--Svi:MaxVideoBytes=4000000", "--Svi:MaxVideoPixels=20000",
    ];

    private string? completed;

    /// <summary>
    /// The id of a completed video of the default (open) key, with every file an extension needs: a worker of its own
    /// renders it with the production renderer on tiny random-weight stand-in models (<see cref="TinySviRenderer"/>),
    /// then stops, so fuzzed extensions and remixes reach past the source checks.
    /// </summary>
    public async Task<string> CompletedAsync()
    {
        if (completed is not null) return completed;
        var (status, g) = await PostJsonAsync(Server.Client, "/v1/videos/generations", """{"prompt": "a source", "duration": 5}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = g.GetProperty("id").GetString()!;
        using var worker = SviHost.BuildWorker(SviTestServer.ConfigArgs(Database, DataDirectory, ExtraConfig), services =>
        {
            services.AddSingleton<IVideoRenderer>(new TinySviRenderer());
            services.AddSingleton<IModelInventory>(new FixedModelInventory());
        });
        await SviHost.StartAsync(worker);
        try
        {
            var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 600);
            Assert.True(done.GetProperty("status").GetString() == "completed", $"the source did not complete: {done}");
        }
        finally { await worker.StopAsync(); }
        var checkpoint = new WorkDirectory(Path.Combine(DataDirectory, "generations", id)).Checkpoint;
        Assert.True(new SviCheckpointStore(checkpoint).LoadLatest() is not null, $"the source has no stored clip state in {checkpoint}");
        return completed = id;
    }

    /// <summary>The generation folders on disk.</summary>
    public string[] Folders()
    {
        var root = Path.Combine(DataDirectory, "generations");
        return Directory.Exists(root) ? [.. Directory.GetDirectories(root).Select(Path.GetFileName).Order()!] : [];
    }
}
