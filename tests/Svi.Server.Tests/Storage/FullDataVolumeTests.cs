using Npgsql;

namespace Svi.Server.Tests.Storage;

/// <summary>
/// Issue 27's report on a 300 MB tmpfs holding PostgreSQL and the videos, as <c>./svi serve</c> lays them out, with
/// <c>svi serve --no-worker --weights random</c> and <c>svi worker --weights random</c> as processes of their own. A
/// ballast file beside the data plays the rest of the volume's tenants.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FullDataVolumeTests : IAsyncLifetime
{
    const long Reserve = 48L << 20;
    static readonly string Image = ImageFixtures.PngDataUrl;

    SmallDataVolume volume = null!;
    string[] config = [];
    ChildServer api = null!, worker = null!;
    HttpClient client = null!;

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess || !OperatingSystem.IsLinux()) return; // the test is skipped
        volume = await SmallDataVolume.MountAsync(300);
        int port = ChildServer.FreePort();
        config =
        [
            $"--ConnectionStrings:Svi={volume.ConnectionString}",
            $"--Svi:DataDirectory={volume.DataDirectory}",
            "--Svi:Jobs:ProgressIntervalSeconds=0.1",
            "--Svi:Jobs:RecoverySweepSeconds=1",
            "--Svi:Inference:Distilled:Steps=2",
            "--Svi:Inference:Distilled:HighNoiseSteps=1",
            $"--Svi:Storage:MinFreeBytes={Reserve}",
            "--Svi:Storage:WaitSeconds=0.2",
            "--Svi:Storage:SampleSeconds=0.5",
            "--Serilog:MinimumLevel:Default=Information",
        ];
        client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        api = ChildServer.StartSvi(["serve", "--no-worker", "--weights", "random", "--urls", $"http://127.0.0.1:{port}", .. config]);
        worker = StartWorker();
        await api.WaitReadyAsync(client, timeoutSeconds: 180);
    }

    ChildServer StartWorker() => ChildServer.StartSvi(["worker", "--weights", "random", .. config]);

    [RootFact]
    public async Task A_full_data_volume_refuses_what_cannot_fit_fails_a_render_that_runs_out_and_keeps_reads_deletes_and_small_jobs_working()
    {
        // An earlier, short video.
        var first = await CompleteAsync(await SubmitAsync(clips: 1));
        byte[] firstVideo = await client.GetByteArrayAsync($"/v1/videos/generations/{first}/content");

        // A 60 s video cannot fit: refused with the bytes it needs and the bytes free, and nothing is created.
        var folders = GenerationFolders();
        var (refusedStatus, refused) = await Http.PostJsonAsync(client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a long lighthouse night", image = Image, duration = 60, cfg = 1.0 }));
        AssertStorageFull(refusedStatus, refused, "needs about", "are free");
        Assert.Equal(folders, GenerationFolders());
        var (_, list) = await Http.GetAsync(client, "/v1/videos/generations");
        Assert.Equal([first], list.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("id").GetString()));

        // A 2-clip video fits when it is accepted; then the volume fills while it renders.
        long twoClips = SpaceEstimate.Bytes(832, 480, Seconds(2), 16, randomWeights: true, new VideoEncoding());
        Assert.True(volume.FreeBytes - twoClips > Reserve, $"the test volume is too small: {volume.FreeBytes} bytes free");
        var starved = await SubmitAsync(clips: 2);
        await WaitAsync(starved, g => g.GetProperty("status").GetString() != "queued");
        volume.FillLeaving(1 << 20);
        var failed = await WaitAsync(starved, SviTestServer.IsTerminal);
        Assert.True(failed.GetProperty("status").GetString() == "failed", $"{failed}\n{worker.Output}");
        Assert.Equal(StorageFull.Code, failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        // Nothing of the render is left: no parts, no partial MP4, no temporary files, no checkpoints.
        var left = Directory.EnumerateFileSystemEntries(Folder(starved)).Select(Path.GetFileName).ToList();
        Assert.True(left.SequenceEqual(["input.png"]), $"left behind: {string.Join(", ", left)}");
        var (partialStatus, _) = await Http.GetAsync(client, $"/v1/videos/generations/{starved}/content");
        Assert.Equal(HttpStatusCode.NotFound, partialStatus);

        // The disk is full: the earlier video's record and content are still served, a create is refused, not ready.
        Assert.True(volume.FreeBytes < Reserve, $"{volume.FreeBytes} bytes free");
        var (firstStatus, firstRecord) = await Http.GetAsync(client, $"/v1/videos/generations/{first}");
        Assert.Equal((HttpStatusCode.OK, "completed"), (firstStatus, firstRecord.GetProperty("status").GetString()));
        Assert.Equal(firstVideo, await client.GetByteArrayAsync($"/v1/videos/generations/{first}/content"));
        AssertStorageFull(await PostAsync(clips: 1), "needs about");
        var (readyStatus, ready) = await Http.GetAsync(client, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal(("full", Reserve), (ready.GetProperty("storage").GetProperty("status").GetString(),
            ready.GetProperty("storage").GetProperty("reserve_bytes").GetInt64()));

        // Deleting works on the full disk.
        var (deleted, _) = await Http.SendAsync(client, HttpMethod.Delete, $"/v1/videos/generations/{starved}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(client, $"/v1/videos/generations/{starved}")).Status);
        Assert.False(Directory.Exists(Folder(starved)));

        // Space is freed: a new one-clip video completes, and the gauges report the volume.
        volume.RemoveBallast();
        await CompleteAsync(await SubmitAsync(clips: 1));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("svi_data_volume_free_bytes ", metrics);
        Assert.Contains("svi_data_volume_used_bytes ", metrics);
        Assert.Contains($"svi_generation_folder_bytes{{generation=\"{first}\"}}", metrics);

        // A queued video that no longer fits when its turn comes waits, still queued, until space is freed.
        worker.Dispose();
        var waiting = await SubmitAsync(clips: 1);
        long oneClip = SpaceEstimate.Bytes(832, 480, Seconds(1), 16, randomWeights: true, new VideoEncoding());
        volume.FillLeaving(Reserve + oneClip / 2);
        worker = StartWorker();
        await WaitForLogAsync(worker, "Waiting for storage");
        var (_, stillQueued) = await Http.GetAsync(client, $"/v1/videos/generations/{waiting}");
        Assert.Equal("queued", stillQueued.GetProperty("status").GetString());
        volume.RemoveBallast();
        await CompleteAsync(waiting);
    }

    static void AssertStorageFull((HttpStatusCode Status, JsonElement Body) response, params string[] messageParts) =>
        AssertStorageFull(response.Status, response.Body, messageParts);

    static void AssertStorageFull(HttpStatusCode status, JsonElement body, params string[] messageParts)
    {
        Assert.True(status == HttpStatusCode.InsufficientStorage, $"{(int)status}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal(StorageFull.Code, error.GetProperty("code").GetString());
        foreach (var part in messageParts) Assert.Contains(part, error.GetProperty("message").GetString());
    }

    static double Seconds(int clips) => (81 + 76 * (clips - 1)) / 16.0;

    Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(int clips) => Http.PostJsonAsync(client, "/v1/videos/generations",
        JsonSerializer.Serialize(new { prompt = "a lighthouse at dusk", image = Image, duration = Seconds(clips), seed = 27, cfg = 1.0 }));

    async Task<string> SubmitAsync(int clips)
    {
        var (status, created) = await PostAsync(clips);
        Assert.True(status == HttpStatusCode.Accepted, $"create answered {(int)status}: {created}");
        return created.GetProperty("id").GetString()!;
    }

    async Task<string> CompleteAsync(string id)
    {
        var done = await WaitAsync(id, SviTestServer.IsTerminal);
        Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{worker.Output}");
        return id;
    }

    async Task<JsonElement> WaitAsync(string id, Func<JsonElement, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(30); ; await Task.Delay(100))
        {
            var (_, g) = await Http.GetAsync(client, $"/v1/videos/generations/{id}");
            if (done(g)) return g;
            if (worker.HasExited) throw new InvalidOperationException($"the worker exited while {id} was {g}:\n{worker.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id}: {g}\n{worker.Output}");
        }
    }

    static async Task WaitForLogAsync(ChildServer process, string line)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(10); !process.Output.Contains(line, StringComparison.Ordinal); await Task.Delay(100))
            if (process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException($"no '{line}' in:\n{process.Output}");
    }

    string Folder(string id) => Path.Combine(volume.DataDirectory, "generations", id);

    List<string> GenerationFolders() => [.. Directory.EnumerateDirectories(Path.Combine(volume.DataDirectory, "generations")).Order()];

    public async Task DisposeAsync()
    {
        if (volume is null) return;
        client.Dispose();
        worker.Dispose();
        api.Dispose();
        NpgsqlConnection.ClearAllPools();
        await volume.DisposeAsync();
    }
}
