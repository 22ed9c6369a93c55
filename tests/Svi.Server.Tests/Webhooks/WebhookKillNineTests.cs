namespace Svi.Server.Tests.Webhooks;

/// <summary>
/// A pending delivery survives a SIGKILL of the server, whether it waits for its retry or its attempt was in flight: the
/// next server delivers it, with the same <c>webhook-id</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WebhookKillNineTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private readonly string data = SviTestServer.NewDataDirectory();
    private readonly string secret = WebhookFixture.NewSecret();
    private readonly int port = ChildServer.FreePort();

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    private ChildServer Start(WebhookReceiver receiver) => ChildServer.Start("serve", db, data, stepMs: 10,
    [
        $"--urls=http://127.0.0.1:{port}", "--Svi:Jobs:RecoverySweepSeconds=1",
        $"--Svi:Webhooks:Endpoints:0:Url={receiver.Url("/hook")}", $"--Svi:Webhooks:Endpoints:0:Secret={secret}",
        "--Svi:Webhooks:AllowPrivateAddresses=true", "--Svi:Webhooks:FirstRetrySeconds=3", "--Svi:Webhooks:SchedulePollSeconds=0.2",
    ]);

    private Task<string?> DeliveryStateAsync(string id) =>
        db.ScalarAsync<string>($"SELECT status || ':' || attempts FROM webhook_deliveries WHERE generation_id = '{id}'");

    /// <summary>Runs a job on a first server, kills it with SIGKILL once its delivery is in <paramref name="stateAtKill"/>, starts a second one.</summary>
    private async Task<(string Id, ChildServer Second, HttpClient Http)> KillAndRestartAsync(WebhookReceiver receiver, string stateAtKill)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        string id;
        using (var first = Start(receiver))
        {
            await first.WaitReadyAsync(http);
            var (status, created) = await PostJsonAsync(http, "/v1/videos/generations", """{"prompt": "survives", "duration": 5}""");
            Assert.Equal(HttpStatusCode.Accepted, status);
            id = created.GetProperty("id").GetString()!;
            await receiver.WaitForAsync(1);
            for (var deadline = DateTime.UtcNow.AddSeconds(30); await DeliveryStateAsync(id) != stateAtKill; await Task.Delay(20))
                Assert.True(DateTime.UtcNow < deadline, $"the delivery never reached {stateAtKill}: {await DeliveryStateAsync(id)}");
            first.Kill();
        }
        Assert.Equal(stateAtKill, await DeliveryStateAsync(id));
        var second = Start(receiver);
        await second.WaitReadyAsync(http);
        return (id, second, http);
    }

    private async Task AssertDeliveredAsync(WebhookReceiver receiver, string id, HttpClient http, ChildServer server, int attempts)
    {
        var received = await receiver.WaitForAsync(2, timeoutSeconds: 90);
        Assert.Equal(received[0].Headers["webhook-id"], received[1].Headers["webhook-id"]);
        var evt = (await OpenAiClient.UnwrapWebhookAsync(received[1].Body, received[1].Headers, secret)).GetProperty("event");
        Assert.Equal("video.completed", evt.GetProperty("type").GetString());
        Assert.Equal(id, evt.GetProperty("data").GetProperty("id").GetString());
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            var log = (await GetAsync(http, "/v1/webhooks/deliveries")).Body.GetProperty("data").EnumerateArray().Single();
            if (log.GetProperty("status").GetString() == "delivered")
            {
                Assert.Equal(attempts, log.GetProperty("attempts").GetInt32());
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not delivered: {log}\n{server.Output}");
        }
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Delivery_waiting_for_its_retry_is_delivered_after_kill_9_and_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync([500]);
        var (id, second, http) = await KillAndRestartAsync(receiver, stateAtKill: "pending:1");
        using (second)
        using (http)
            await AssertDeliveredAsync(receiver, id, http, second, attempts: 2);
    }

    [Fact]
    public async Task Delivery_whose_attempt_was_in_flight_is_delivered_after_kill_9_and_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync(holdFirst: true);
        var (id, second, http) = await KillAndRestartAsync(receiver, stateAtKill: "pending:0");
        using (second)
        using (http)
            await AssertDeliveredAsync(receiver, id, http, second, attempts: 1);
    }
}
