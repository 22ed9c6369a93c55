using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Svi.Server.Tests.Observability;

namespace Svi.Server.Tests.Webhooks;

/// <summary>Signed webhooks in OpenAI's shape: verified by openai-node and StandardWebhooks, retried with one id, logged per key.</summary>
[Collection(ServerCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private async Task<string> CreateAsync(string path, string json, string key)
    {
        var (status, body) = await PostJsonAsync(Client, path, json, key);
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{(int)status}: {body}");
        return body.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Completed_video_is_announced_with_an_event_that_openai_unwrap_accepts_and_a_tampered_body_fails()
    {
        var id = await CreateAsync("/v1/videos", """{"prompt": "a kite", "seconds": "4"}""", WebhookFixture.KeyA);
        var received = await WebhookFixture.EventForAsync(fixture.Receiver, id);

        Assert.Equal("/hooks/a", received.Path);
        Assert.StartsWith("application/json", received.Headers["content-type"]);
        Assert.StartsWith("wh_", received.Headers["webhook-id"]);
        Assert.StartsWith("v1,", received.Headers["webhook-signature"]);
        var unwrapped = await OpenAiClient.UnwrapWebhookAsync(received.Body, received.Headers, WebhookFixture.SecretA);

        var evt = unwrapped.GetProperty("event");
        Assert.StartsWith("evt_", evt.GetProperty("id").GetString());
        Assert.Equal("event", evt.GetProperty("object").GetString());
        Assert.Equal("video.completed", evt.GetProperty("type").GetString());
        Assert.Equal(id, evt.GetProperty("data").GetProperty("id").GetString());
        Assert.InRange(evt.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(["id", "object", "created_at", "type", "data"], evt.EnumerateObject().Select(p => p.Name));
        Assert.Equal("InvalidWebhookSignatureError", unwrapped.GetProperty("tampered").GetProperty("type").GetString());

        // The video is completed when its event is sent.
        var video = (await GetAsync(Client, $"/v1/videos/{id}", WebhookFixture.KeyA)).Body;
        Assert.Equal("completed", video.GetProperty("status").GetString());
    }

    [Fact]
    public async Task StandardWebhooks_library_verifies_the_signature_and_rejects_a_tampered_body_or_another_secret()
    {
        var id = await CreateAsync("/v1/videos/generations", """{"prompt": "a lighthouse", "duration": 5}""", WebhookFixture.KeyA);
        var received = await WebhookFixture.EventForAsync(fixture.Receiver, id);
        var headers = new HeaderDictionary(received.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));

        new StandardWebhook(WebhookFixture.SecretA).Verify(received.Body, headers);
        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook(WebhookFixture.SecretA).Verify(received.Body.Replace("\"object\":\"event\"", "\"object\":\"evenT\""), headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookFixture.SharedSecret).Verify(received.Body, headers));
    }

    [Fact]
    public async Task Receiver_that_answers_500_twice_then_200_gets_one_successful_delivery_with_the_same_webhook_id()
    {
        await using var flaky = await WebhookReceiver.StartAsync([500, 500]);
        var hook = flaky.Url("/flaky");
        var id = await CreateAsync("/v1/videos/generations", $$"""{"prompt": "a ferry", "duration": 5, "webhook_url": "{{hook}}"}""",
            WebhookFixture.KeyB);

        var attempts = await flaky.WaitForAsync(3);
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"]).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        // Key B has no endpoint of its own: its request URL is signed with the deployment's secret.
        foreach (var attempt in attempts)
        {
            var unwrapped = await OpenAiClient.UnwrapWebhookAsync(attempt.Body, attempt.Headers, WebhookFixture.SharedSecret);
            Assert.Equal(id, unwrapped.GetProperty("event").GetProperty("data").GetProperty("id").GetString());
        }

        var delivery = await DeliveryAsync(WebhookFixture.KeyB, id, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(attempts[0].Headers["webhook-id"], delivery.GetProperty("id").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("status_code").GetInt32());
        Assert.Equal(hook.ToString(), delivery.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_retry_at").ValueKind);
        Assert.Equal(3, flaky.Requests.Count);
        // Key A's endpoint hears only key A's jobs, and key A's log does not show key B's deliveries.
        Assert.DoesNotContain(fixture.Receiver.Requests, r => WebhookFixture.VideoId(r) == id);
        var logA = (await GetAsync(Client, "/v1/webhooks/deliveries?limit=100", WebhookFixture.KeyA)).Body;
        Assert.DoesNotContain(logA.GetProperty("data").EnumerateArray(), d => d.GetProperty("video_id").GetString() == id);

        var metrics = await MetricsScrape.ReadAsync(Client);
        Assert.True(metrics.Samples.Single(s => s.Name == "svi_webhook_deliveries_total" && s.Labels["outcome"] == "retry").Value >= 2);
        Assert.True(metrics.Samples.Single(s => s.Name == "svi_webhook_deliveries_total" && s.Labels["outcome"] == "delivered").Value >= 1);
    }

    [Fact]
    public async Task Failed_and_cancelled_videos_are_announced_too()
    {
        var failed = await CreateAsync("/v1/videos/generations", $$"""{"prompt": "{{FfmpegTestRenderer.FailPrompt}}", "duration": 5}""",
            WebhookFixture.KeyA);
        var running = await CreateAsync("/v1/videos/generations", """{"prompt": "occupies the worker", "duration": 121.5}""", WebhookFixture.KeyA);
        await fixture.Server.WaitForAsync(running, g => g.GetProperty("status").GetString() == "in_progress", apiKey: WebhookFixture.KeyA);
        var queued = await CreateAsync("/v1/videos/generations", """{"prompt": "waits", "duration": 5}""", WebhookFixture.KeyA);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Post, $"/v1/videos/generations/{queued}/cancel", apiKey: WebhookFixture.KeyA)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Post, $"/v1/videos/generations/{running}/cancel", apiKey: WebhookFixture.KeyA)).Status);

        foreach (var (id, type) in new[] { (failed, "video.failed"), (queued, "video.cancelled"), (running, "video.cancelled") })
        {
            var received = await WebhookFixture.EventForAsync(fixture.Receiver, id);
            var evt = (await OpenAiClient.UnwrapWebhookAsync(received.Body, received.Headers, WebhookFixture.SecretA)).GetProperty("event");
            Assert.Equal(type, evt.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Request_webhook_url_must_be_an_absolute_http_url()
    {
        var response = await PostJsonAsync(Client, "/v1/videos", """{"prompt": "x", "webhook_url": "ftp://example.com/hook"}""", WebhookFixture.KeyA);
        Assert.Equal("invalid_webhook_url", AssertError(response, HttpStatusCode.BadRequest, "webhook_url", "http").GetProperty("code").GetString());
    }

    private async Task<JsonElement> DeliveryAsync(string key, string videoId, Func<JsonElement, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(50))
        {
            var (status, log) = await GetAsync(Client, $"/v1/webhooks/deliveries?video_id={videoId}", key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("list", log.GetProperty("object").GetString());
            var delivery = log.GetProperty("data").EnumerateArray().SingleOrDefault();
            if (delivery.ValueKind == JsonValueKind.Object && done(delivery)) return delivery;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"delivery for {videoId}: {log}");
        }
    }
}
