using Npgsql;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// What a killed process leaves behind does not hold the queue up: its Hangfire locks are cleared as soon as its
/// connections are gone, and generations whose job was lost get a new one.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CrashRecoveryTests : FreshDatabaseTests
{
    private static readonly string[] FastRecovery = ["--Svi:Jobs:RecoverySweepSeconds=1"];

    [Fact]
    public async Task Lock_left_by_a_dead_connection_is_cleared_so_its_job_starts_within_seconds()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: FastRecovery);
        var (_, g) = await PostJsonAsync(api.Client, "/v1/videos/generations", """{"prompt": "after the crash", "duration": 5}""");
        var id = g.GetProperty("id").GetString()!;
        var jobId = await Database.ScalarAsync<string>($"SELECT job_id FROM generations WHERE id = '{id}'");

        // A process that took the job's state lock (as Hangfire does to move it to Processing) and is about to die.
        var doomed = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ConnectionString);
        await doomed.OpenAsync();
        await new NpgsqlCommand($"INSERT INTO hangfire.lock (resource, acquired) VALUES ('hangfire:job:{jobId}:state-lock', now())", doomed)
            .ExecuteNonQueryAsync();
        Assert.Equal(doomed.ProcessID, await Database.ScalarAsync<int>("SELECT svi_owner_pid FROM hangfire.lock"));

        using var worker = ChildServer.Start("worker", Database, DataDirectory, stepMs: 10, FastRecovery);
        // While its holder lives the lock is respected: the job waits.
        for (var until = DateTime.UtcNow.AddSeconds(3); DateTime.UtcNow < until; await Task.Delay(100))
            Assert.Equal("queued", (await GetAsync(api.Client, $"/v1/videos/generations/{id}")).Body.GetProperty("status").GetString());

        await doomed.DisposeAsync(); // the backend exits, as it does when its process is killed
        // Hangfire alone would wait out its 10-minute lock timeout; a minute bounds "within seconds" on a loaded machine.
        var done = await api.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 60);
        Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{worker.Output}");
    }

    [Fact]
    public async Task A_job_fetched_by_a_worker_that_died_runs_again_within_seconds_not_after_the_invisibility_timeout()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: FastRecovery);
        var (_, g) = await PostJsonAsync(api.Client, "/v1/videos/generations", """{"prompt": "fetched then orphaned", "duration": 5}""");
        var id = g.GetProperty("id").GetString()!;
        // A worker fetched the job (Hangfire hides it for the 5-minute default invisibility timeout) and was killed
        // before it finished: it holds no generation lock any more.
        await Database.ExecuteAsync("UPDATE hangfire.jobqueue SET fetchedat = now() - interval '1 minute'");

        using var worker = ChildServer.Start("worker", Database, DataDirectory, stepMs: 10, FastRecovery);
        var done = await api.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 60);
        Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{worker.Output}");
    }

    [Fact]
    public async Task A_fetched_job_stays_with_its_worker_while_that_worker_holds_the_generation()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false);
        var (_, g) = await PostJsonAsync(api.Client, "/v1/videos/generations", """{"prompt": "still rendering", "duration": 5}""");
        var id = g.GetProperty("id").GetString()!;
        await Database.ExecuteAsync("UPDATE hangfire.jobqueue SET fetchedat = now() - interval '1 minute'");
        var deadWorkers = api.App.Services.GetRequiredService<DeadWorkerJobs>();

        await using (var worker = NpgsqlDataSource.Create(Database.ConnectionString))
        await using (var held = await GenerationLock.TryTakeAsync(worker, id, CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.Empty(await deadWorkers.ReleaseAsync(CancellationToken.None));
            Assert.Equal(1, await Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL"));
        }
        await deadWorkers.ReleaseAsync(CancellationToken.None);
        Assert.Equal(0, await Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL"));
    }

    [Fact]
    public async Task Generations_whose_job_was_lost_get_a_new_one_and_an_idempotent_retry_returns_a_job_that_runs()
    {
        const string body = """{"prompt": "lost and found", "duration": 5}""";
        string first, copy = GenerationIds.New();
        await using (var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: FastRecovery))
        {
            var (status, g) = await SendAsync(api.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: "retry-me");
            Assert.Equal(HttpStatusCode.Accepted, status);
            first = g.GetProperty("id").GetString()!;
        }
        // The job vanished (as after a failure outside the job's own handling), and a record never got one.
        await Database.ExecuteAsync("DELETE FROM hangfire.jobqueue; DELETE FROM hangfire.job;");
        await Database.ExecuteAsync($"""
            INSERT INTO generations (id, owner, surface, status, spec, spec_version, seconds_text, clips_total, created_at)
            SELECT '{copy}', owner, surface, 'queued', spec, spec_version, seconds_text, clips_total, now()
            FROM generations WHERE id = '{first}'
            """);

        await using var restarted = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: true, extraConfig: FastRecovery);
        foreach (var id in new[] { first, copy })
            Assert.Equal("completed", (await restarted.WaitForAsync(id, SviTestServer.IsTerminal, 30)).GetProperty("status").GetString());
        var (again, replay) = await SendAsync(restarted.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: "retry-me");
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(first, replay.GetProperty("id").GetString());
        Assert.Equal("completed", replay.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Folders_no_record_names_are_deleted_once_they_are_an_hour_old()
    {
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false);
        var image = ImageFixtures.PngDataUrl;
        var (_, g) = await PostJsonAsync(api.Client, "/v1/videos/generations", System.Text.Json.JsonSerializer.Serialize(new { prompt = "kept", image }));
        string recorded = g.GetProperty("id").GetString()!, stray = GenerationIds.New(), fresh = GenerationIds.New();
        string Folder(string id) => Path.Combine(DataDirectory, "generations", id);
        foreach (var id in new[] { stray, fresh })
        {
            Directory.CreateDirectory(Folder(id));
            await File.WriteAllBytesAsync(Path.Combine(Folder(id), "input.png"), [1, 2, 3]);
        }
        foreach (var id in new[] { recorded, stray }) Directory.SetLastWriteTimeUtc(Folder(id), DateTime.UtcNow.AddHours(-2));

        await api.App.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        Assert.False(Directory.Exists(Folder(stray)));
        Assert.True(Directory.Exists(Folder(fresh)));
        Assert.True(File.Exists(Path.Combine(Folder(recorded), "input.png")));
    }
}
