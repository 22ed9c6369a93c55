using Npgsql;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// The app and Hangfire share one sized pool: a burst of creates waits for connections instead of exhausting the
/// server's, a create that cannot get one in time is a 503 with Retry-After, and a create is one transaction (its
/// record, its job and its files exist together or not at all).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConnectionBudgetTests : IDisposable
{
    private readonly string data = SviTestServer.NewDataDirectory();

    public void Dispose()
    {
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, JsonElement Body)> CreateAsync(HttpClient client, int n, string? image = null)
    {
        bool native = n % 2 == 0;
        var fields = new Dictionary<string, object> { ["prompt"] = $"burst {n}", [native ? "duration" : "seconds"] = native ? 5 : "4" };
        if (image is not null) fields[native ? "image" : "input_reference"] = native ? image : new { image_url = image };
        using var response = await client.PostAsync(native ? "/v1/videos/generations" : "/v1/videos",
            new StringContent(JsonSerializer.Serialize(fields), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), JsonDocument.Parse(text).RootElement.Clone());
    }

    private static bool IsAccepted(HttpStatusCode s) => s is HttpStatusCode.Accepted or HttpStatusCode.OK;

    [Fact]
    public async Task Two_hundred_concurrent_creates_stay_within_the_budget_and_all_succeed()
    {
        // PostgreSQL refuses this role a 15th connection; the process may use 10 from its pool plus Hangfire's LISTEN.
        await using var db = await TestDatabase.CreateAsync(connectionLimit: 14);
        await using var server = await SviTestServer.StartAsync(db, data, withWorker: true,
            extraConfig: ["--Svi:Database:MaxConnections=10"]);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(n => CreateAsync(server.Client, n)));

        var failures = results.Where(r => !IsAccepted(r.Status)).Select(r => $"{(int)r.Status}: {r.Body}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of 200 creates failed:\n{string.Join("\n", failures.Distinct().Take(5))}");
        Assert.Equal(200L, await db.ScalarAsync<long>("SELECT count(*) FROM generations"));
        // Every accepted record has its Hangfire job.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM generations g WHERE NOT EXISTS (SELECT 1 FROM hangfire.job j WHERE j.id::text = g.job_id)"));
    }

    [Fact]
    public async Task Create_that_cannot_get_a_connection_in_time_is_503_with_retry_after_and_stores_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var server = await SviTestServer.StartAsync(db, data, withWorker: false,
            extraConfig: ["--Svi:Database:MaxConnections=4", "--Svi:Database:AcquireTimeoutSeconds=1"]);

        // Inserts wait behind this lock while holding their connections, so later creates find the pool empty.
        await using var blocker = new NpgsqlConnection(db.AdminConnectionString);
        await blocker.OpenAsync();
        var tx = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE generations IN ACCESS EXCLUSIVE MODE", blocker, tx).ExecuteNonQueryAsync();
        var creates = Enumerable.Range(0, 10).Select(n => CreateAsync(server.Client, n)).ToList();
        var first = await Task.WhenAny(creates).WaitAsync(TimeSpan.FromSeconds(30));
        var busy = await first;
        await tx.RollbackAsync();
        var results = await Task.WhenAll(creates);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.Status);
        Assert.Equal("2", busy.RetryAfter);
        Assert.Equal("database_busy", busy.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.All(results, r => Assert.True(IsAccepted(r.Status) || r.Status == HttpStatusCode.ServiceUnavailable, r.Body.ToString()));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => Assert.NotNull(r.RetryAfter));
        long accepted = results.Count(r => IsAccepted(r.Status));
        Assert.InRange(accepted, 1, 9);
        Assert.Equal(accepted, await db.ScalarAsync<long>("SELECT count(*) FROM generations"));
        Assert.Equal(accepted, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task Create_whose_connection_dies_before_its_job_is_queued_leaves_no_record_job_or_file()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var server = await SviTestServer.StartAsync(db, data, withWorker: false);

        // The record is inserted, then the job's queue entry waits behind this lock; then its connection dies.
        await using var blocker = new NpgsqlConnection(db.AdminConnectionString);
        await blocker.OpenAsync();
        var tx = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE hangfire.jobqueue IN ACCESS EXCLUSIVE MODE", blocker, tx).ExecuteNonQueryAsync();
        var image = ImageFixtures.PngDataUrl;
        var create = CreateAsync(server.Client, 0, image);
        int pid = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); pid == 0; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the create never reached the job queue");
            pid = await db.ScalarAsync<int>(
                $"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO \"hangfire\".\"jobqueue\"%' LIMIT 1");
        }
        // The record written before is not visible: it commits only with its job.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM generations"));
        Assert.Single(Directory.GetDirectories(Path.Combine(data, "generations")));
        await new NpgsqlCommand($"SELECT pg_terminate_backend({pid})", blocker, tx).ExecuteNonQueryAsync();
        await tx.RollbackAsync();

        var (status, retryAfter, body) = await create;
        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{(int)status}: {body}");
        Assert.NotNull(retryAfter);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM generations"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(data, "generations")));
    }
}
