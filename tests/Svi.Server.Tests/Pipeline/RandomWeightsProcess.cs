namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// <c>svi serve --no-worker --weights random</c> and <c>svi worker --weights random</c> (the tiny architecture) as
/// processes of their own over one test database, shared by the tests of <see cref="RandomWeightsProcessTests"/>:
/// the production renderer, loaders, encoder and storage, with nothing of the test assembly inside them. The worker
/// can be killed with SIGKILL and started again. Two denoising steps per clip (one per expert, instead of the recipe's
/// three and three) and cfg 1 keep the CPU time down; every video here is 832x480, the smallest size the API takes.
/// </summary>
public sealed class RandomWeightsProcess : IAsyncLifetime
{
    public const int Seed = 1807;
    public const int SourceClips = 3, ExtensionClips = 2, TotalClips = SourceClips + ExtensionClips;
    public const double Cfg = 1.0;
    /// <summary>One prompt per source clip, then the extension's prompt.</summary>
    public static readonly string[] Prompts =
        new[] { "a lighthouse at dusk", "waves break on the rocks", "a gull lands on the rail", "the lamp turns on" }[^(SourceClips + 1)..];

    /// <summary>Frames of a video of <paramref name="clips"/> whole clips: 81, then 76 for every later clip.</summary>
    public static int Frames(int clips) => 81 + 76 * (clips - 1);

    public static double Seconds(int clips) => Frames(clips) / 16.0;

    static readonly string Image = ImageFixtures.PngDataUrl;

    readonly string data = SviTestServer.NewDataDirectory();
    string[] config = [];
    TestDatabase database = null!;
    ChildServer api = null!;
    readonly Lazy<Task<ExtensionRuns>> extensions;

    public RandomWeightsProcess() => extensions = new(RunExtensionsAsync);

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
            "--Svi:Inference:Distilled:HighNoiseSteps=1",
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

    /// <summary>
    /// What the extension tests compare, rendered once for all of them: the source (<see cref="SourceClips"/> clips of
    /// <see cref="Prompts"/>), the uninterrupted <see cref="TotalClips"/>-clip run of the same seed and prompts (the
    /// last prompt repeats), the source extended through the native <c>/extend</c> with its worker SIGKILLed after the
    /// first new clip finished (and restarted), and the source extended through the official <c>openai</c> client.
    /// </summary>
    public Task<ExtensionRuns> ExtensionsAsync() => extensions.Value;

    public sealed record ExtensionRuns(Finished Source, Finished Uninterrupted, Finished Native, string OpenAiMp4, JsonElement OpenAi,
        int FinishedBeforeKill, string RestartedWorkerLog);

    async Task<ExtensionRuns> RunExtensionsAsync()
    {
        var sourceId = await SubmitAsync(Prompts[..SourceClips], SourceClips);
        var uninterruptedId = await SubmitAsync(Prompts, TotalClips);
        var source = await DownloadAsync("source", await WaitAsync(sourceId, IsTerminal));
        var uninterrupted = await DownloadAsync("uninterrupted", await WaitAsync(uninterruptedId, IsTerminal));

        // The native extension; the worker dies by SIGKILL once the first new clip is finished and checkpointed.
        int firstNewClip = SourceClips;
        string finished = $"Clip {firstNewClip} of {TotalClips} finished";
        int before = Regex.Matches(Worker.Output, Regex.Escape(finished)).Count;
        var (status, accepted) = await Http.PostJsonAsync(Client, $"/v1/videos/generations/{sourceId}/extend",
            JsonSerializer.Serialize(new { prompt = Prompts[^1], duration = Seconds(TotalClips) - Seconds(SourceClips) }));
        Assert.True(status == HttpStatusCode.Accepted, $"extend answered {(int)status}: {accepted}");
        string nativeId = accepted.GetProperty("id").GetString()!;
        var atKill = await WaitAsync(nativeId, g => Regex.Matches(Worker.Output, Regex.Escape(finished)).Count > before || IsTerminal(g));
        Assert.True(atKill.GetProperty("status").GetString() == "in_progress", $"the extension ended before the kill: {atKill}");
        KillAndRestartWorker();
        var native = await DownloadAsync("native-extended", await WaitAsync(nativeId, IsTerminal));
        string restartedLog = Worker.Output;

        var openAiMp4 = Path.Combine(data, "openai-extended.mp4");
        var openAi = await OpenAiClient.ExtendAsync(Client.BaseAddress!, sourceId, Prompts[^1], Seconds(TotalClips) - Seconds(SourceClips), openAiMp4);
        return new ExtensionRuns(source, uninterrupted, native, openAiMp4, openAi, firstNewClip, restartedLog);
    }

    /// <summary>
    /// Submits a native image-to-video generation of whole clips (image-to-video: no text-to-video anchor frame to
    /// sample first, and only the two image-to-video experts to load).
    /// </summary>
    public async Task<string> SubmitAsync(string[] prompts, int clips, int seed = Seed)
    {
        var (status, created) = await Http.PostJsonAsync(Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompts, image = Image, duration = Seconds(clips), seed, cfg = Cfg }));
        Assert.True(status == HttpStatusCode.Accepted, $"create answered {(int)status}: {created}");
        return created.GetProperty("id").GetString()!;
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
