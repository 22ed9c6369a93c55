namespace Svi.Server.Tests.Storage;

/// <summary>
/// Admission by space on the test machine's own disk, with a reserve set far above or at its default: the create is
/// refused with nothing stored, a worker that finds no room leaves the job queued, and operators see the volume in
/// <c>/readyz</c> and <c>/metrics</c>. (<see cref="FullDataVolumeTests"/> fills a real small volume.)
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StorageAdmissionTests : FreshDatabaseTests
{
    // A petabyte: more than any test machine has free.
    const string NoRoom = "--Svi:Storage:MinFreeBytes=1000000000000000";
    static readonly string ImageJson = JsonSerializer.Serialize(new
    {
        prompt = "a lighthouse at dusk",
        image = ImageFixtures.PngDataUrl,
        duration = 5,
    });

    [Fact]
    public async Task A_create_that_would_leave_less_than_the_reserve_free_is_refused_507_storage_full_and_stores_nothing()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: NoRoom);
        var (status, body) = await PostJsonAsync(api.Client, "/v1/videos/generations", ImageJson);
        Assert.True(status == HttpStatusCode.InsufficientStorage, $"{(int)status}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal((StorageFull.Code, "server_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        string message = error.GetProperty("message").GetString()!;
        Assert.Matches(@"needs about [\d.]+ MB \(\d+ bytes\).* and [\d.]+ MB \(\d+ bytes\) are free, of which 1000000000 MB", message);

        // The OpenAI surface is refused the same way.
        var (openAiStatus, openAi) = await PostJsonAsync(api.Client, "/v1/videos", """{"prompt": "a lighthouse", "seconds": "8"}""");
        Assert.Equal((HttpStatusCode.InsufficientStorage, StorageFull.Code), (openAiStatus, openAi.GetProperty("error").GetProperty("code").GetString()));

        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(DataDirectory, "generations")));

        var (ready, readiness) = await GetAsync(api.Client, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal(("not_ready", "ok", "full"), (readiness.GetProperty("status").GetString(),
            readiness.GetProperty("database").GetString(), readiness.GetProperty("storage").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Readyz_and_metrics_report_the_data_volume_with_the_default_reserve()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: "--Svi:Storage:SampleSeconds=0.1");
        var (ready, readiness) = await GetAsync(api.Client, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        var storage = readiness.GetProperty("storage");
        Assert.Equal(("ok", StorageOptions.DefaultMinFreeBytes), (storage.GetProperty("status").GetString(), storage.GetProperty("reserve_bytes").GetInt64()));
        Assert.InRange(storage.GetProperty("free_bytes").GetInt64(), 2 * StorageOptions.DefaultMinFreeBytes, long.MaxValue);

        var (_, created) = await PostJsonAsync(api.Client, "/v1/videos/generations", ImageJson);
        string id = created.GetProperty("id").GetString()!;
        long inputBytes = new FileInfo(Path.Combine(DataDirectory, "generations", id, "input.png")).Length;
        string series = $"svi_generation_folder_bytes{{generation=\"{id}\"}} {inputBytes}";
        string metrics = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !metrics.Contains(series, StringComparison.Ordinal); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{series}' in:\n{metrics}");
            metrics = await api.Client.GetStringAsync("/metrics");
        }
        Assert.Contains("svi_data_volume_free_bytes ", metrics);
        Assert.Contains("svi_data_volume_used_bytes ", metrics);
    }

    [Fact]
    public async Task A_queued_job_that_no_longer_fits_when_its_turn_comes_waits_queued_and_runs_once_there_is_room()
    {
        // The API admits it; the worker, whose reserve is larger than the disk, finds no room when it fetches the job.
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false);
        var (_, created) = await PostJsonAsync(api.Client, "/v1/videos/generations", """{"prompt": "waiting for room", "duration": 5}""");
        string id = created.GetProperty("id").GetString()!;
        using (var starved = ChildServer.Start("worker", Database, DataDirectory, stepMs: 10, [NoRoom, "--Svi:Storage:WaitSeconds=0.1"]))
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(120); !starved.Output.Contains("Waiting for storage", StringComparison.Ordinal); await Task.Delay(100))
                Assert.True(DateTime.UtcNow < deadline && !starved.HasExited, $"the worker never waited:\n{starved.Output}");
            Assert.Equal("queued", (await GetAsync(api.Client, $"/v1/videos/generations/{id}")).Body.GetProperty("status").GetString());
        }
        // A worker with room (the default reserve) runs it.
        using var worker = ChildServer.Start("worker", Database, DataDirectory, stepMs: 10, ["--Svi:Jobs:RecoverySweepSeconds=1"]);
        var done = await api.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 120);
        Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{worker.Output}");
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
    }
}
