using Microsoft.Extensions.Time.Testing;

namespace Svi.Server.Tests.Api;

/// <summary>An API-only server whose clock (record dates, the idempotency window) the test moves.</summary>
public sealed class ControlledClockFixture : ApiOnlyFixture
{
    // Whole milliseconds, as records store them.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    protected override void Services(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(SviHost.ClockKey, Clock);
}

/// <summary>An Idempotency-Key makes one generation per key and body for 24 hours, however many requests race for it.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdempotencyTests(ControlledClockFixture fixture) : IClassFixture<ControlledClockFixture>
{

    private Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(string key, string body) =>
        SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: key);

    private string[] Folders() => Directory.Exists(Path.Combine(fixture.DataDirectory, "generations"))
        ? [.. Directory.GetDirectories(Path.Combine(fixture.DataDirectory, "generations")).Select(d => Path.GetFileName(d))]
        : [];

    private Task<long> GenerationsWithKeyAsync(string key) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM generations WHERE idempotency_key = '{key}'");

    [Fact]
    public async Task Concurrent_creates_with_one_key_make_one_generation_and_every_answer_carries_its_id()
    {
        const int requests = 16;
        const string key = "race-key-1";
        // With an image, each request decodes and writes a file between its replay check and its insert: the window
        // in which the others race it to the unique index.
        var body = JsonSerializer.Serialize(new
        {
            prompt = "a race",
            image = ImageFixtures.PngDataUrl,
        });
        long jobsBefore = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job");
        var foldersBefore = Folders();

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = Enumerable.Range(0, requests).Select(async _ =>
        {
            await go.Task;
            return await CreateAsync(key, body);
        }).ToArray();
        go.SetResult();
        var answers = await Task.WhenAll(racing);

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{(int)a.Status}: {a.Body}"));
        var ids = answers.Select(a => a.Body.GetProperty("id").GetString()).Distinct().ToList();
        var id = Assert.Single(ids);
        Assert.Equal(1, await GenerationsWithKeyAsync(key));
        Assert.Equal(jobsBefore + 1, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
        // The requests that lost the race removed the image each had written: one folder, the winner's.
        Assert.Equal([id], Folders().Except(foldersBefore));
    }

    [Fact]
    public async Task A_key_replays_for_24_hours_then_creates_a_new_generation()
    {
        const string key = "window-key-1";
        const string body = """{"prompt": "a window", "duration": 5}""";
        var (status, first) = await CreateAsync(key, body);
        Assert.Equal(HttpStatusCode.Accepted, status);
        string firstId = first.GetProperty("id").GetString()!;

        fixture.Clock.Advance(TimeSpan.FromHours(24));
        var (_, replayed) = await CreateAsync(key, body);
        Assert.Equal(firstId, replayed.GetProperty("id").GetString());
        var error = AssertError(await CreateAsync(key, """{"prompt": "another body", "duration": 5}"""), HttpStatusCode.Conflict,
            "Idempotency-Key", "different request body", firstId);
        Assert.Equal("idempotency_key_reused", error.GetProperty("code").GetString());

        fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var (after, fresh) = await CreateAsync(key, body);
        Assert.Equal(HttpStatusCode.Accepted, after);
        string freshId = fresh.GetProperty("id").GetString()!;
        Assert.NotEqual(firstId, freshId);
        // The key now names the new generation; the old one is still there, without its key.
        var (_, again) = await CreateAsync(key, body);
        Assert.Equal(freshId, again.GetProperty("id").GetString());
        Assert.Equal(1, await GenerationsWithKeyAsync(key));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, $"/v1/videos/generations/{firstId}")).Status);
    }
}
