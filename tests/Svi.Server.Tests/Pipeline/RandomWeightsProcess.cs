using System.Net;
using System.Text.Json;
using Svi.Server.Tests.Support;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// <c>svi serve --no-worker --weights random</c> and <c>svi worker --weights random</c> (the tiny architecture) as
/// processes of their own over one test database, shared by the tests of <see cref="RandomWeightsProcessTests"/>:
/// the production renderer, loaders, encoder and storage, with nothing of the test assembly inside them. The worker
/// can be killed with SIGKILL and started again. Two denoising steps per clip (instead of the recipe's six) keep the
/// CPU time down; every video here is 832x480, the smallest size the API takes.
/// </summary>
public sealed class RandomWeightsProcess : IAsyncLifetime
{
    public const int Seed = 1807;
    public const double Cfg = 1.0;
    public static readonly string[] Prompts = ["a lighthouse at dusk", "waves break on the rocks", "a gull lands on the rail", "the lamp turns on"];

    /// <summary>Frames of a video of <paramref name="clips"/> whole clips: 81, then 76 for every later clip.</summary>
    public static int Frames(int clips) => 81 + 76 * (clips - 1);

    public static double Seconds(int clips) => Frames(clips) / 16.0;

    readonly string data = SviTestServer.NewDataDirectory();
    string[] config = [];
    TestDatabase database = null!;
    ChildServer api = null!;
    readonly Lazy<Task<Finished>> source;

    public RandomWeightsProcess() => source = new(() => RenderAsync("source", Prompts[..3], clips: 3));

    public HttpClient Client { get; private set; } = null!;
    public ChildServer Worker { get; private set; } = null!;
    public string DataDirectory => data;

    public string PartialVideo(string id) => Path.Combine(data, "generations", id, "partial.mp4");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        int port = ChildServer.FreePort();
        config = SviTestServer.ConfigArgs(database, data,
        [
            "--Serilog:MinimumLevel:Default=Information",
            "--Svi:Inference:Distilled:Steps=2",
            "--Svi:Jobs:InvisibilityTimeoutSeconds=5",
            "--Svi:Jobs:RecoverySweepSeconds=1",
        ]);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        api = ChildServer.StartSvi(["serve", "--no-worker", "--weights", "random", "--urls", $"http://127.0.0.1:{port}", .. config]);
        Worker = StartWorker();
        await api.WaitReadyAsync(Client, timeoutSeconds: 180);
    }

    ChildServer StartWorker() => ChildServer.StartSvi(["worker", "--weights", "random", .. config]);

    /// <summary>SIGKILL to the worker (no shutdown code runs), then a fresh worker process.</summary>
    public void KillAndRestartWorker()
    {
        Worker.Kill();
        Worker.Dispose();
        Worker = StartWorker();
    }

    public sealed record Finished(string Id, JsonElement Generation, string Mp4);

    /// <summary>The 3-clip video every test compares with: <see cref="Prompts"/>[..3], <see cref="Seed"/>, rendered without interruption.</summary>
    public Task<Finished> UninterruptedSourceAsync() => source.Value;

    /// <summary>Submits a native text-to-video generation of whole clips.</summary>
    public async Task<string> SubmitAsync(string[] prompts, int clips, int seed = Seed)
    {
        var (status, created) = await Http.PostJsonAsync(Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompts, duration = Seconds(clips), seed, cfg = Cfg }));
        Assert.True(status == HttpStatusCode.Accepted, $"create answered {(int)status}: {created}");
        return created.GetProperty("id").GetString()!;
    }

    public async Task<Finished> RenderAsync(string name, string[] prompts, int clips)
    {
        var id = await SubmitAsync(prompts, clips);
        return await DownloadAsync(name, await WaitAsync(id, IsTerminal));
    }

    public async Task<Finished> DownloadAsync(string name, JsonElement generation)
    {
        string id = generation.GetProperty("id").GetString()!;
        Assert.True(generation.GetProperty("status").GetString() == "completed", $"{id} did not complete: {generation}\n{Worker.Output}");
        var mp4 = Path.Combine(data, $"{name}.mp4");
        await File.WriteAllBytesAsync(mp4, await Client.GetByteArrayAsync($"/v1/videos/generations/{id}/content"));
        return new Finished(id, generation, mp4);
    }

    public static bool IsTerminal(JsonElement g) => SviTestServer.IsTerminal(g);

    /// <summary>Polls a generation until <paramref name="done"/> holds; fails with the worker's log if the worker died.</summary>
    public async Task<JsonElement> WaitAsync(string id, Func<JsonElement, bool> done, double timeoutSeconds = 1800)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var (_, g) = await Http.GetAsync(Client, $"/v1/videos/generations/{id}");
            if (done(g)) return g;
            if (Worker.HasExited) throw new InvalidOperationException($"the worker exited while {id} was {g}:\n{Worker.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} did not reach the state in {timeoutSeconds} s; last {g}:\n{Worker.Output}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Worker.Dispose();
        api.Dispose();
        await database.DisposeAsync();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
