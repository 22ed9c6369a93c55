using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// The real server process (API and worker) killed with SIGKILL at seeded moments while creates arrive and jobs
/// render, and once, by construction, in the middle of a render: every create that was answered 202 reaches a final
/// status afterwards, and nothing waits behind a lock the dead processes held or behind a job they had fetched (the
/// invisibility timeout keeps its 5-minute default). Creates that got no answer are retried with their Idempotency-Key.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KillNineTests(ITestOutputHelper output) : FreshDatabaseTests
{
    private const int Kills = 5;
    // This server's renderer takes an hour per step, so its render is still running when the kill comes.
    private const int HeldRound = 2;
    private const int HeldStepMs = 3_600_000;
    [Fact]
    public async Task Random_kill_9s_during_creates_and_renders_lose_no_accepted_job()
    {
        var random = new Random(16);
        var pacing = new Random(17);
        int port = ChildServer.FreePort();
        string[] config = [$"--urls=http://127.0.0.1:{port}", "--Svi:Jobs:RecoverySweepSeconds=1", "--Serilog:MinimumLevel:Default=Information"];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        var accepted = new ConcurrentDictionary<string, string>();   // id → idempotency key
        var unanswered = new ConcurrentQueue<string>();                // keys whose create got no answer
        int sent = 0;

        for (int round = 0; round <= Kills; round++)
        {
            using var server = ChildServer.Start("serve", Database, DataDirectory, stepMs: round == HeldRound ? HeldStepMs : 10, config);
            await server.WaitReadyAsync(http);
            while (unanswered.TryDequeue(out var key)) await CreateAsync(http, key, accepted, unanswered);
            if (round == Kills)
            {
                // The last server is left running: everything accepted must finish.
                var drain = System.Diagnostics.Stopwatch.StartNew();
                await WaitAllTerminalAsync(http, accepted.Keys, server, Database);
                output.WriteLine($"{accepted.Count} accepted, {sent} sent; drained in {drain.Elapsed}");
                var statuses = await StatusesAsync(http, accepted.Keys);
                Assert.All(statuses, s => Assert.True(s.Value == "completed", $"{s.Key}: {s.Value}"));
                break;
            }
            int acceptedBefore = accepted.Count;
            using var stop = new CancellationTokenSource();
            var sender = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await CreateAsync(http, $"key-{++sent}", accepted, unanswered);
                    await Task.Delay(pacing.Next(150, 400));
                }
            });
            if (round == HeldRound)
                await WaitForRenderAsync(Database, server);
            else
                await Task.Delay(random.Next(400, 2000)); // a seeded moment in this server's life, during creates and renders
            // Every server accepts something before it dies, however slow the machine.
            for (var deadline = DateTime.UtcNow.AddSeconds(120); accepted.Count == acceptedBefore; await Task.Delay(50))
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"round {round} accepted no create in 120 s:\n{server.Output}");
            server.Kill();
            stop.Cancel();
            await sender;
        }

        Assert.True(accepted.Count >= Kills, $"only {accepted.Count} creates were accepted");
        // Each accepted key made exactly one generation.
        Assert.Equal((long)accepted.Count, await Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
    }

    // Until the held server's worker has started a render (it cannot finish it: a step takes an hour).
    private static async Task WaitForRenderAsync(TestDatabase db, ChildServer server)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(120); ; await Task.Delay(50))
        {
            if (await db.ScalarAsync<long>("SELECT count(*) FROM generations WHERE status = 'in_progress'") > 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the held server started no render in 120 s:\n{server.Output}");
        }
    }

    private static async Task CreateAsync(HttpClient http, string key, ConcurrentDictionary<string, string> accepted, ConcurrentQueue<string> unanswered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos/generations")
        {
            Content = new StringContent($$"""{"prompt": "survivor {{key}}", "duration": 5}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await http.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (response.StatusCode == HttpStatusCode.Accepted) accepted[body.GetProperty("id").GetString()!] = key;
            else if ((int)response.StatusCode >= 500) unanswered.Enqueue(key);
            else throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {body}");
        }
        catch (HttpRequestException) { unanswered.Enqueue(key); }
        catch (TaskCanceledException) { unanswered.Enqueue(key); }
    }

    private static async Task WaitAllTerminalAsync(HttpClient http, ICollection<string> ids, ChildServer server, TestDatabase db)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var statuses = await StatusesAsync(http, ids);
            var open = statuses.Where(s => s.Value is "queued" or "in_progress").ToList();
            if (open.Count == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{open.Count} accepted generations never finished, e.g. {open[0].Key} ({open[0].Value}):\n" +
                    $"{await db.DumpAsync("SELECT * FROM hangfire.lock")}\n{await db.DumpAsync("SELECT * FROM hangfire.jobqueue")}\n" +
                    $"{await db.DumpAsync("SELECT s.jobid, s.name, s.createdat, left(s.data::text, 160) FROM hangfire.state s WHERE s.jobid IN (SELECT jobid FROM hangfire.jobqueue) ORDER BY s.id")}\n" +
                    $"{await db.DumpAsync("SELECT id, status, attempts, job_id, progress FROM generations WHERE status IN ('queued', 'in_progress')")}\n" +
                    $"{await db.DumpAsync("SELECT pid, state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity WHERE datname = current_database()")}\n" +
                    server.Output);
            await Task.Delay(200);
        }
    }

    private static async Task<Dictionary<string, string>> StatusesAsync(HttpClient http, IEnumerable<string> ids)
    {
        var statuses = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            var g = JsonDocument.Parse(await http.GetStringAsync($"/v1/videos/generations/{id}")).RootElement;
            statuses[id] = g.GetProperty("status").GetString()!;
        }
        return statuses;
    }
}
