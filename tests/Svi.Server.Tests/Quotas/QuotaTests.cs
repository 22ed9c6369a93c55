namespace Svi.Server.Tests.Quotas;

/// <summary>
/// No worker: every accepted job stays queued, so "active" is exactly what was accepted. The cap is the production
/// default, 8 (the other test servers switch it off).
/// </summary>
public sealed class QuotaFixture : ServerFixture
{
    public const string KeyA = "sk-quota-key-a", KeyB = "sk-quota-key-b", KeyC = "sk-quota-key-c";
    protected override bool WithWorker => false;
    protected override string[] ExtraConfig =>
        [$"--Svi:ApiKeys:0={KeyA}", $"--Svi:ApiKeys:1={KeyB}", $"--Svi:ApiKeys:2={KeyC}", "--Svi:Quotas:MaxActiveJobsPerKey=8",
            "--Svi:Quotas:MaxSecondsPerKeyPerDay=100"];
}

[Collection(ServerCollection.Name)]
public sealed class QuotaTests(QuotaFixture fixture) : IClassFixture<QuotaFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private async Task<HttpResponseMessage> CreateAsync(string key, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = Json(json) };
        request.Headers.Authorization = new("Bearer", key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Client.SendAsync(request);
    }

    private Task<long> CountAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations");

    [Fact]
    public async Task Ninth_active_job_of_a_key_gets_429_with_retry_after_while_another_key_is_still_served()
    {
        var first = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            using var ok = await CreateAsync(QuotaFixture.KeyA, """{"prompt": "queued", "seconds": "4"}""", $"a-{i}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            first.Add(System.Text.Json.JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        }
        long before = await CountAsync();

        using var refused = await CreateAsync(QuotaFixture.KeyA, """{"prompt": "one too many", "seconds": "4"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        var error = AssertError((refused.StatusCode, System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement),
            HttpStatusCode.TooManyRequests, null, "8", "Svi:Quotas:MaxActiveJobsPerKey");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(before, await CountAsync());

        // A repeated create (same Idempotency-Key) is not a new job: it gets the first one back.
        using var replay = await CreateAsync(QuotaFixture.KeyA, """{"prompt": "queued", "seconds": "4"}""", "a-3");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);

        // Another key's jobs are not held back by key A's.
        using var other = await CreateAsync(QuotaFixture.KeyB, """{"prompt": "key b", "seconds": "4"}""");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // A finished (here: cancelled) job frees its slot.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Post, $"/v1/videos/generations/{first[0]}/cancel", apiKey: QuotaFixture.KeyA)).Status);
        using var again = await CreateAsync(QuotaFixture.KeyA, """{"prompt": "fits again", "seconds": "4"}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Seconds_per_day_cap_refuses_the_job_that_would_pass_it()
    {
        using var ok = await CreateAsync(QuotaFixture.KeyC, """{"prompt": "sixty", "seconds": "60"}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        long before = await CountAsync();
        using var refused = await CreateAsync(QuotaFixture.KeyC, """{"prompt": "sixty more", "seconds": "60"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromDays(1));
        AssertError((refused.StatusCode, System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement),
            HttpStatusCode.TooManyRequests, null, "Svi:Quotas:MaxSecondsPerKeyPerDay", "100");
        Assert.Equal(before, await CountAsync());
        using var fits = await CreateAsync(QuotaFixture.KeyC, """{"prompt": "thirty", "seconds": "30"}""");
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }
}
