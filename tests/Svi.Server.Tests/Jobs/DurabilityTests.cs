namespace Svi.Server.Tests.Jobs;

/// <summary>Accepted generations outlive the processes that run them: an API restart, a worker killed mid-job.</summary>
[Collection(ServerCollection.Name)]
public sealed class DurabilityTests : FreshDatabaseTests
{
    [Fact]
    public async Task Queued_generation_survives_a_restart_and_runs_after_it()
    {
        string id;
        await using (var apiOnly = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false))
        {
            var (status, g) = await PostJsonAsync(apiOnly.Client, "/v1/videos/generations", """{"prompt": "patience", "duration": 6}""");
            Assert.Equal(HttpStatusCode.Accepted, status);
            id = g.GetProperty("id").GetString()!;
            Assert.Equal("queued", (await GetAsync(apiOnly.Client, $"/v1/videos/generations/{id}")).Body.GetProperty("status").GetString());
        }
        await using var restarted = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: true);
        var done = await restarted.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Worker_killed_mid_job_leaves_the_job_to_another_worker_which_finishes_it_once()
    {
        string[] jobConfig = ["--Svi:Jobs:InvisibilityTimeoutSeconds=6"];
        await using var api = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false, extraConfig: jobConfig);
        var (_, g) = await PostJsonAsync(api.Client, "/v1/videos/generations", """{"prompt": "endurance", "duration": 30}""");
        var id = g.GetProperty("id").GetString()!;

        using var first = WorkerProcess.Start(Database, DataDirectory, stepMs: 400, jobConfig);
        WorkerProcess? second = null;
        try
        {
            await api.WaitForAsync(id, r => r.GetProperty("status").GetString() == "in_progress" && r.GetProperty("progress").GetDouble() > 0, 90);
            first.Kill();
            var orphaned = (await GetAsync(api.Client, $"/v1/videos/generations/{id}")).Body;
            Assert.Equal("in_progress", orphaned.GetProperty("status").GetString());

            second = WorkerProcess.Start(Database, DataDirectory, stepMs: 10, jobConfig);
            var done = await api.WaitForAsync(id, SviTestServer.IsTerminal, 90);
            Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\nworker 2 said:\n{second.Output}");
            Assert.Equal(2, done.GetProperty("attempts").GetInt32());
            var runs = File.ReadAllLines(Path.Combine(DataDirectory, "generations", id, "renders.log"));
            Assert.Equal(2, runs.Length);
            Assert.NotEqual(runs[0], runs[1]); // two different worker processes
            Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
            // The second worker's log says it resumed, with the generation id as a structured property.
            Assert.Contains("Resuming after an interrupted run", second.Output);
            Assert.Contains($"\"GenerationId\": \"{id}\"", second.Output);
            using var video = await api.Client.GetAsync($"/v1/videos/{id}/content");
            Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        }
        finally
        {
            first.Kill();
            second?.Dispose();
        }
    }

    /// <summary><c>dotnet Svi.Server.Tests.dll worker …</c>: a real separate worker process with the test renderer.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private Process? serverProcess;
        private readonly System.Text.StringBuilder outputLines = new();
        public string Output { get { lock (outputLines) return outputLines.ToString(); } }

        public static WorkerProcess Start(TestDatabase db, string data, int stepMs, string[] extra)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(typeof(TestWorkerEntryPoint).Assembly.Location);
            info.ArgumentList.Add("worker");
            info.ArgumentList.Add($"{TestWorkerEntryPoint.StepMsArg}{stepMs}");
            foreach (var arg in SviTestServer.ConfigArgs(db, data, extra)) info.ArgumentList.Add(arg);
            var worker = new WorkerProcess();
            worker.serverProcess = Process.Start(info)!;
            worker.serverProcess.OutputDataReceived += (_, e) => { lock (worker.outputLines) worker.outputLines.AppendLine(e.Data); };
            worker.serverProcess.ErrorDataReceived += (_, e) => { lock (worker.outputLines) worker.outputLines.AppendLine(e.Data); };
            worker.serverProcess.BeginOutputReadLine();
            worker.serverProcess.BeginErrorReadLine();
            return worker;
        }

        public void Kill()
        {
            if (serverProcess is { HasExited: false }) { serverProcess.Kill(entireProcessTree: true); serverProcess.WaitForExit(); }
        }

        public void Dispose() { Kill(); serverProcess?.Dispose(); }
    }
}
