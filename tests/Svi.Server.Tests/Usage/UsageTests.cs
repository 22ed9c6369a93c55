using System.Globalization;
using Svi.Server.Tests.Observability;

namespace Svi.Server.Tests.Usage;

public sealed class UsageFixture : ServerFixture
{
    public const string KeyA = "sk-usage-key-a", KeyB = "sk-usage-key-b", KeyC = "sk-usage-key-c", Admin = "sk-usage-admin";
    protected override string[] ExtraConfig =>
    [
        $"--Svi:ApiKeys:0={KeyA}", $"--Svi:ApiKeys:1={KeyB}", $"--Svi:ApiKeys:2={KeyC}", $"--Svi:AdminKeys:0={Admin}", $"--Svi:KeyLabels:team-a={KeyA}",
        // The hosted SVI API's rates, as the README gives them.
        "--Svi:Pricing:PerSecond:480p=0.057", "--Svi:Pricing:PerSecond:720p=0.17",
        "--Svi:Pricing:ModePerSecond:t2v-fast=0.065", "--Svi:Pricing:ModePerSecond:t2v-quality=0.13",
    ];
}

/// <summary>Usage metered per key when jobs end, read back by an admin key as JSON or CSV.</summary>
[Collection(ServerCollection.Name)]
public sealed class UsageTests(UsageFixture fixture) : IClassFixture<UsageFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private async Task<(string Id, double Seconds)> RenderAsync(string key, string json)
    {
        var (status, created) = await PostJsonAsync(Client, "/v1/videos/generations", json, key);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created.GetProperty("id").GetString()!;
        var done = await fixture.Server.WaitForAsync(id, SviTestServer.IsTerminal, apiKey: key);
        if (done.GetProperty("status").GetString() != "completed") return (id, 0);
        // The rendered seconds, counted in the MP4 itself.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/generations/{id}/content");
        request.Headers.Authorization = new("Bearer", key);
        using var response = await Client.SendAsync(request);
        var mp4 = Path.Combine(fixture.DataDirectory, $"{id}.mp4");
        await File.WriteAllBytesAsync(mp4, await response.Content.ReadAsByteArrayAsync());
        return (id, (await DecodedFrames.Md5Async(mp4)).Count / 16.0);
    }

    [Fact]
    public async Task Admin_key_sees_each_keys_rendered_seconds_and_cost_while_a_normal_key_gets_403()
    {
        var a1 = await RenderAsync(UsageFixture.KeyA, """{"prompt": "one", "duration": 5, "t2v_quality": "fast"}""");
        var a2 = await RenderAsync(UsageFixture.KeyA, """{"prompt": "two", "duration": 10, "t2v_quality": "fast"}""");
        var b1 = await RenderAsync(UsageFixture.KeyB, """{"prompt": "three", "duration": 5, "t2v_quality": "quality"}""");
        await RenderAsync(UsageFixture.KeyB, $$"""{"prompt": "{{FfmpegTestRenderer.FailPrompt}}", "duration": 5}""");

        var forbidden = await GetAsync(Client, "/v1/usage", UsageFixture.KeyA);
        Assert.Equal("admin_key_required", AssertError(forbidden, HttpStatusCode.Forbidden, null, "Svi:AdminKeys").GetProperty("code").GetString());

        var (status, report) = await GetAsync(Client, "/v1/usage?group_by=key", UsageFixture.Admin);
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = report.GetProperty("data").EnumerateArray().ToDictionary(r => r.GetProperty("group").GetString()!);
        var teamA = rows["team-a"];
        Assert.Equal(2, teamA.GetProperty("jobs").GetInt64());
        Assert.Equal(a1.Seconds + a2.Seconds, teamA.GetProperty("seconds").GetDouble(), 0.002);
        // A key without a label shows as the start of its digest, never as itself.
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(UsageFixture.KeyB)));
        var keyB = rows["key:" + digest[..12].ToLowerInvariant()];
        Assert.Equal(2, keyB.GetProperty("jobs").GetInt64());
        Assert.Equal(1, keyB.GetProperty("failed").GetInt64());
        Assert.Equal(b1.Seconds, keyB.GetProperty("seconds").GetDouble(), 0.002);
        Assert.Equal(rows.Values.Sum(r => r.GetProperty("seconds").GetDouble()), report.GetProperty("total").GetProperty("seconds").GetDouble(), 0.002);
        Assert.True(report.GetProperty("total").GetProperty("gpu_seconds").GetDouble() > 0);

        // 480p at $0.057/s, plus $0.065/s for T2V fast and $0.13/s for T2V quality.
        Assert.Equal("USD", report.GetProperty("currency").GetString());
        Assert.Equal((a1.Seconds + a2.Seconds) * (0.057 + 0.065), (double)teamA.GetProperty("cost").GetDecimal(), 0.001);
        Assert.Equal(b1.Seconds * (0.057 + 0.13), (double)keyB.GetProperty("cost").GetDecimal(), 0.001);
        Assert.DoesNotContain(UsageFixture.KeyB, report.ToString());
        Assert.DoesNotContain(UsageFixture.KeyA, report.ToString());

        var metrics = await MetricsScrape.ReadAsync(Client);
        Assert.True(metrics.Samples.Single(s => s.Name == "svi_video_seconds_total" && s.Labels["mode"] == "t2v-fast"
            && s.Labels["resolution"] == "832x480").Value >= a1.Seconds + a2.Seconds);
    }

    [Fact]
    public async Task Usage_is_grouped_by_day_or_resolution_and_served_as_csv()
    {
        var job = await RenderAsync(UsageFixture.KeyC, """{"prompt": "csv", "duration": 5}""");
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var byDay = (await GetAsync(Client, "/v1/usage?group_by=day", UsageFixture.Admin)).Body;
        Assert.Contains(byDay.GetProperty("data").EnumerateArray(), r => r.GetProperty("group").GetString() == today);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/usage?group_by=resolution");
        request.Headers.Authorization = new("Bearer", UsageFixture.Admin);
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await Client.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("resolution,jobs,completed,failed,cancelled,seconds,clips,gpu_seconds,cost_usd", lines[0]);
        var row = lines.Single(l => l.StartsWith("832x480,", StringComparison.Ordinal)).Split(',');
        Assert.True(double.Parse(row[5], CultureInfo.InvariantCulture) >= Math.Round(job.Seconds, 3) - 0.001, $"{row[5]} < {job.Seconds}");
        Assert.StartsWith("total,", lines[^1]);

        // A window that ends before the job: nothing.
        var empty = (await GetAsync(Client, "/v1/usage?start=2020-01-01&end=2020-01-02", UsageFixture.Admin)).Body;
        Assert.Empty(empty.GetProperty("data").EnumerateArray());
        AssertError(await GetAsync(Client, "/v1/usage?group_by=model", UsageFixture.Admin), HttpStatusCode.BadRequest, "group_by", "key, day, resolution");
    }
}
