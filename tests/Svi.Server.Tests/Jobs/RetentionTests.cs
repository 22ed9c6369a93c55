using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Svi.Server.Tests.Jobs;

/// <summary>A server with a worker, a 2-hour retention swept every 10 minutes, on a clock the test moves.</summary>
public sealed class RetentionFixture : ServerFixture
{
    public const double RetentionHours = 2, SweepMinutes = 10;
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    protected override string[] ExtraConfig => [$"--Svi:RetentionHours={RetentionHours}", $"--Svi:RetentionSweepMinutes={SweepMinutes}"];
    protected override void Services(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(SviHost.ClockKey, Clock);
}

/// <summary>
/// Finished videos keep their files for <c>Svi:RetentionHours</c>; the sweeper, run by its own timer, deletes them after
/// that and leaves younger ones alone. The test never calls the sweep: it moves the clock and waits for the sweep.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionTests(RetentionFixture fixture) : IClassFixture<RetentionFixture>, IDisposable
{
    private readonly Channel<DateTimeOffset> sweeps = Channel.CreateUnbounded<DateTimeOffset>();
    private RetentionSweeper Sweeper => fixture.Server.App.Services.GetRequiredService<RetentionSweeper>();
    private GenerationFiles Files => fixture.Server.App.Services.GetRequiredService<GenerationFiles>();

    private void OnSwept(DateTimeOffset at) => sweeps.Writer.TryWrite(at);

    [Fact]
    public async Task Files_live_for_the_retention_hours_and_the_timed_sweep_deletes_only_expired_ones()
    {
        Sweeper.Swept += OnSwept;
        var first = await CompletedAsync("the first lake");
        var t0 = fixture.Clock.GetUtcNow();
        Assert.Equal(t0.AddHours(2), await ExpiresAtAsync(first));

        // One hour on: the sweep runs and the first video, half way through its retention, keeps its files.
        await SweepAfterAsync(TimeSpan.FromHours(1));
        Assert.True(await HasFilesAsync(first), "a video one hour old lost its files under a two-hour retention");
        var second = await CompletedAsync("the second lake");
        Assert.Equal(t0.AddHours(3), await ExpiresAtAsync(second));

        // 2 h 10 min after the first finished: its files go, the second's (1 h 10 min old) stay.
        await SweepAfterAsync(TimeSpan.FromMinutes(70));
        Assert.False(await HasFilesAsync(first), "the first video outlived its retention");
        var error = AssertError(await GetAsync(fixture.Server.Client, $"/v1/videos/generations/{first}/content"), HttpStatusCode.NotFound, "id", "expired");
        Assert.Equal("video_expired", error.GetProperty("code").GetString());
        Assert.True(await HasFilesAsync(second), "a sweep deleted a video that had not expired");

        // 3 h 10 min: the second has expired too.
        await SweepAfterAsync(TimeSpan.FromHours(1));
        Assert.False(await HasFilesAsync(second), "the second video outlived its retention");
    }

    private async Task<string> CompletedAsync(string prompt)
    {
        var (status, created) = await PostJsonAsync(fixture.Server.Client, "/v1/videos/generations", $$"""{"prompt": "{{prompt}}", "duration": 5}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        string id = created.GetProperty("id").GetString()!;
        var done = await fixture.Server.WaitForAsync(id, SviTestServer.IsTerminal, timeoutSeconds: 600);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(await HasFilesAsync(id));
        return id;
    }

    // Moves the clock on and waits for the sweep the timer starts at the new time to finish.
    private async Task SweepAfterAsync(TimeSpan by)
    {
        var target = fixture.Clock.GetUtcNow() + by;
        fixture.Clock.Advance(by);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await sweeps.Reader.ReadAsync(timeout.Token) < target) { }
    }

    private async Task<DateTimeOffset> ExpiresAtAsync(string id) => new(
        await fixture.Database.ScalarAsync<DateTime>($"SELECT expires_at FROM generations WHERE id = '{id}'"), TimeSpan.Zero);

    private async Task<bool> HasFilesAsync(string id)
    {
        bool deleted = await fixture.Database.ScalarAsync<bool>($"SELECT assets_deleted FROM generations WHERE id = '{id}'");
        bool onDisk = File.Exists(Files.Video(id));
        Assert.True(deleted != onDisk, $"{id}: assets_deleted is {deleted} but video.mp4 {(onDisk ? "exists" : "is gone")}");
        return onDisk;
    }

    public void Dispose() => Sweeper.Swept -= OnSwept;
}
