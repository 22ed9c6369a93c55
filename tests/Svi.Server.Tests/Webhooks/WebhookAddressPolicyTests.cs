namespace Svi.Server.Tests.Webhooks;

public sealed class DefaultWebhookPolicyFixture : ServerFixture
{
    public static readonly string Secret = WebhookFixture.NewSecret();
    protected override string[] ExtraConfig => [$"--Svi:Webhooks:Secret={Secret}"];
}

/// <summary>By default a webhook goes to public addresses only: a private literal is refused at once, a name at the connect.</summary>
[Collection(ServerCollection.Name)]
public sealed class WebhookAddressPolicyTests(DefaultWebhookPolicyFixture fixture) : IClassFixture<DefaultWebhookPolicyFixture>
{
    private HttpClient Client => fixture.Server.Client;

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    public async Task Private_address_literal_is_refused_at_submission(string url)
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations");
        var response = await PostJsonAsync(Client, "/v1/videos", $$"""{"prompt": "x", "webhook_url": "{{url}}"}""");
        var error = AssertError(response, HttpStatusCode.BadRequest, "webhook_url", "private", "Svi:Webhooks:AllowPrivateAddresses");
        Assert.Equal("invalid_webhook_url", error.GetProperty("code").GetString());
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
    }

    [Fact]
    public async Task Receiver_on_a_name_that_resolves_to_loopback_is_refused_on_connect_and_never_called()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = $"http://localhost:{receiver.BaseAddress.Port}/hook";
        var (status, created) = await PostJsonAsync(Client, "/v1/videos/generations", $$"""{"prompt": "x", "duration": 5, "webhook_url": "{{url}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created.GetProperty("id").GetString()!;
        await fixture.Server.WaitForAsync(id, SviTestServer.IsTerminal);

        JsonElement delivery = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); delivery.ValueKind != JsonValueKind.Object || delivery.GetProperty("status").GetString() == "pending";
             await Task.Delay(50))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the delivery was never attempted: {delivery}");
            var log = (await GetAsync(Client, $"/v1/webhooks/deliveries?video_id={id}")).Body;
            delivery = log.GetProperty("data").EnumerateArray().FirstOrDefault();
        }
        Assert.Equal("refused", delivery.GetProperty("status").GetString());
        Assert.Contains("127.0.0.1", delivery.GetProperty("error").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Empty(receiver.Requests);
    }
}
