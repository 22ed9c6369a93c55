using System.Net.Http.Headers;

namespace Svi.Server.Tests.Jobs;

public sealed class WorkerFixture : ServerFixture;

/// <summary>Generations run by the in-process worker through the test renderer, against a real PostgreSQL.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobLifecycleTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private SviTestServer Server => fixture.Server;

    private async Task<string> SubmitAsync(string json)
    {
        var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", json);
        Assert.True(status == HttpStatusCode.Accepted, g.ToString());
        Assert.Equal("queued", g.GetProperty("status").GetString());
        return g.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Generation_goes_from_queued_through_in_progress_to_completed()
    {
        var id = await SubmitAsync("""{"prompt": "a cat walks", "duration": 12}""");
        var running = await Server.WaitForAsync(id, g => g.GetProperty("status").GetString() == "in_progress" && g.GetProperty("progress").GetDouble() > 0);
        Assert.Equal(3, running.GetProperty("clips_total").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, running.GetProperty("started_at").ValueKind);
        var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetDouble());
        Assert.Equal(192, done.GetProperty("frames").GetInt32());
        Assert.Equal("t2v-quality", done.GetProperty("mode").GetString());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.True(done.GetProperty("expires_at").GetInt64() > done.GetProperty("completed_at").GetInt64());

        var (_, openai) = await GetAsync(fixture.Client, $"/v1/videos/{id}");
        Assert.Equal("completed", openai.GetProperty("status").GetString());
        Assert.Equal("12", openai.GetProperty("seconds").GetString());
    }

    [Fact]
    public async Task Content_is_an_mp4_served_with_range_requests_and_a_jpeg_thumbnail()
    {
        var id = await SubmitAsync("""{"prompt": "ranges", "duration": 6}""");
        await Server.WaitForAsync(id, g => g.GetProperty("status").GetString() == "completed");

        using var full = await fixture.Client.GetAsync($"/v1/videos/{id}/content");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("video/mp4", full.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", full.Headers.AcceptRanges.Single());
        var bytes = await full.Content.ReadAsByteArrayAsync();
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/generations/{id}/content");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{bytes.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync());

        using var tail = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content");
        tail.Headers.Range = new RangeHeaderValue(null, 10);
        using var suffix = await fixture.Client.SendAsync(tail);
        Assert.Equal(bytes[^10..], await suffix.Content.ReadAsByteArrayAsync());

        using var thumbnail = await fixture.Client.GetAsync($"/v1/videos/{id}/content?variant=thumbnail");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);
        var jpeg = await thumbnail.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);

        AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content?variant=poster"), HttpStatusCode.BadRequest, "variant", "video, thumbnail");
    }

    [Fact]
    public async Task Running_generation_serves_its_partial_video_and_cancels_between_steps()
    {
        var id = await SubmitAsync("""{"prompt": "long one", "duration": 121.5}""");
        await Server.WaitForAsync(id, g => g.GetProperty("clips_completed").GetInt32() >= 1);
        using (var partial = await fixture.Client.GetAsync($"/v1/videos/generations/{id}/content"))
        {
            Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
            Assert.Equal("true", partial.Headers.GetValues("X-Svi-Partial").Single());
        }
        // The OpenAI surface offers only the finished video.
        var notReady = AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content"), HttpStatusCode.Conflict, "id", "not ready");
        Assert.Equal("video_not_ready", notReady.GetProperty("code").GetString());

        var (status, _) = await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("cancelled", done.GetProperty("status").GetString());
        Assert.Equal("cancelled", done.GetProperty("error").GetProperty("code").GetString());
        Assert.True(done.GetProperty("progress").GetDouble() < 100);
        var (_, openai) = await GetAsync(fixture.Client, $"/v1/videos/{id}");
        Assert.Equal("failed", openai.GetProperty("status").GetString());
        Assert.Equal("cancelled", openai.GetProperty("error").GetProperty("code").GetString());
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{id}/cancel"), HttpStatusCode.Conflict, "id", "already cancelled");
    }

    [Fact]
    public async Task Queued_generation_behind_a_running_one_is_cancelled_at_once()
    {
        var running = await SubmitAsync("""{"prompt": "occupies the worker", "duration": 121.5}""");
        await Server.WaitForAsync(running, g => g.GetProperty("status").GetString() == "in_progress");
        var waiting = await SubmitAsync("""{"prompt": "waits", "duration": 6}""");
        var (status, cancelled) = await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{waiting}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(0, cancelled.GetProperty("attempts").GetInt32());

        await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{running}/cancel");
        await Server.WaitForAsync(running, SviTestServer.IsTerminal);
        var after = (await GetAsync(fixture.Client, $"/v1/videos/generations/{waiting}")).Body;
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.Equal(0, after.GetProperty("attempts").GetInt32()); // never started
    }

    [Fact]
    public async Task Deleting_a_running_generation_stops_its_job_and_frees_the_worker()
    {
        var doomed = await SubmitAsync("""{"prompt": "doomed", "duration": 121.5}""");
        await Server.WaitForAsync(doomed, g => g.GetProperty("status").GetString() == "in_progress" && g.GetProperty("clips_completed").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(fixture.Client, HttpMethod.Delete, $"/v1/videos/generations/{doomed}")).Status);
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/generations/{doomed}"), HttpStatusCode.NotFound, "id");

        // The worker takes the next job only once the deleted one has stopped (one job at a time).
        var next = await SubmitAsync("""{"prompt": "next in line", "duration": 6}""");
        var done = await Server.WaitForAsync(next, SviTestServer.IsTerminal);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, "generations", doomed)));
    }

    [Fact]
    public async Task Renderer_failure_is_recorded_with_its_code_and_message()
    {
        var id = await SubmitAsync($$"""{"prompt": "{{FfmpegTestRenderer.FailPrompt}}", "duration": 6}""");
        var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("test_failure", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("The test renderer was asked to fail.", done.GetProperty("error").GetProperty("message").GetString());
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content"), HttpStatusCode.NotFound, "id", "failed");
    }

    [Fact]
    public async Task Missing_weights_fail_the_job_with_what_is_missing_and_how_to_get_it()
    {
        fixture.Inventory.Installed = false;
        try
        {
            var id = await SubmitAsync("""{"prompt": "no weights", "duration": 6}""");
            var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal);
            Assert.Equal("failed", done.GetProperty("status").GetString());
            Assert.Equal("weights_missing", done.GetProperty("error").GetProperty("code").GetString());
            var message = done.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Contains("t2v-quality, distilled", message);
            Assert.Contains("DitHigh", message);
            Assert.Contains("./svi models pull --t2v --recipe distilled", message);
        }
        finally { fixture.Inventory.Installed = true; }
    }

    [Fact]
    public async Task Deleting_a_finished_generation_removes_its_record_and_files()
    {
        var id = await SubmitAsync("""{"prompt": "to delete", "duration": 6}""");
        await Server.WaitForAsync(id, g => g.GetProperty("status").GetString() == "completed");
        var dir = Path.Combine(fixture.DataDirectory, "generations", id);
        Assert.True(File.Exists(Path.Combine(dir, "video.mp4")));
        var (status, deleted) = await SendAsync(fixture.Client, HttpMethod.Delete, $"/v1/videos/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("video.deleted", deleted.GetProperty("object").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.False(Directory.Exists(dir));
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}"), HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task Expired_generation_loses_its_files_to_the_retention_sweep()
    {
        var id = await SubmitAsync("""{"prompt": "expiring", "duration": 6}""");
        await Server.WaitForAsync(id, g => g.GetProperty("status").GetString() == "completed");
        await fixture.Database.ScalarAsync<object>($"UPDATE generations SET expires_at = now() - interval '1 minute' WHERE id = '{id}'");
        var sweeper = (Svi.Server.Hosting.RetentionSweeper)Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService(Server.App.Services, typeof(Svi.Server.Hosting.RetentionSweeper));
        Assert.True(await sweeper.SweepAsync(CancellationToken.None) >= 1);
        Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, "generations", id)));
        var error = AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content"), HttpStatusCode.NotFound, "id", "expired");
        Assert.Equal("video_expired", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, $"/v1/videos/{id}")).Status);
    }

    [Fact]
    public async Task Image_generation_runs_in_image_to_video_mode_and_remix_reuses_the_image()
    {
        var file = new ByteArrayContent(ImageFixtures.Encode("png"));
        using var form = new MultipartFormDataContent
            { { new StringContent("she smiles"), "prompt" }, { new StringContent("6"), "seconds" }, { file, "input_reference", "me.png" } };
        var (_, created) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form);
        var id = created.GetProperty("id").GetString()!;
        var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal);
        Assert.Equal("i2v", done.GetProperty("mode").GetString());

        var (status, remix) = await PostJsonAsync(fixture.Client, $"/v1/videos/{id}/remix", """{"prompt": "she laughs"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, remix.GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("6", remix.GetProperty("seconds").GetString());
        var remixed = await Server.WaitForAsync(remix.GetProperty("id").GetString()!, SviTestServer.IsTerminal);
        Assert.Equal("i2v", remixed.GetProperty("mode").GetString());
        Assert.Equal(done.GetProperty("seed").GetInt64(), remixed.GetProperty("seed").GetInt64());
    }
}
