namespace Svi.Server.Tests.Api;

/// <summary>
/// What a create promises before it runs: the fewest clips that cover the request (81 frames, then 76 per clip) and the
/// length rendered, the same on both surfaces and at every size.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClipPlanSubmissionTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{

    public static TheoryData<double, string, int, string> Requests()
    {
        var data = new TheoryData<double, string, int, string>();
        foreach (var size in new[] { "832x480", "480x832", "1280x720" })
        {
            data.Add(1, size, 1, "5.0625");
            data.Add(18, size, 4, "18");
            data.Add(60, size, 13, "60");
            data.Add(121.5, size, 26, "121.5");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Both_surfaces_announce_the_clips_the_job_runs_and_the_length_it_renders(double seconds, string size, int clips, string rendered)
    {
        var (status, native) = await PostJsonAsync(fixture.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a lighthouse", duration = seconds, resolution = size }));
        Assert.True(status == HttpStatusCode.Accepted, native.ToString());
        Assert.Equal(clips, native.GetProperty("clips_total").GetInt32());
        Assert.Equal(0, native.GetProperty("clips_completed").GetInt32());
        Assert.Equal(JsonValueKind.Null, native.GetProperty("stage").ValueKind);
        Assert.Equal(double.Parse(rendered, System.Globalization.CultureInfo.InvariantCulture), native.GetProperty("duration").GetDouble());

        var (openaiStatus, video) = await PostJsonAsync(fixture.Client, "/v1/videos",
            JsonSerializer.Serialize(new { prompt = "a lighthouse", seconds = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), size }));
        Assert.True(openaiStatus == HttpStatusCode.OK, video.ToString());
        Assert.Equal(clips, video.GetProperty("clips_total").GetInt32());
        Assert.Equal(0, video.GetProperty("clips_completed").GetInt32());
        Assert.Equal(rendered, video.GetProperty("seconds").GetString());
    }
}
