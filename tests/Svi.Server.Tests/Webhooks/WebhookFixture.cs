using System.Security.Cryptography;

namespace Svi.Server.Tests.Webhooks;

/// <summary>
/// A server (API + worker) whose key A has a configured endpoint on <see cref="Receiver"/>, with a deployment-wide secret
/// for request URLs, fast retries, and private addresses allowed (every receiver here is on 127.0.0.1).
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string KeyA = "sk-webhook-key-a", KeyB = "sk-webhook-key-b";
    public static readonly string SecretA = NewSecret(), SharedSecret = NewSecret();

    public TestDatabase Database { get; private set; } = null!;
    public SviTestServer Server { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;
    private readonly string data = SviTestServer.NewDataDirectory();

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Database = await TestDatabase.CreateAsync();
        Server = await SviTestServer.StartAsync(Database, data, extraConfig:
        [
            $"--Svi:ApiKeys:0={KeyA}", $"--Svi:ApiKeys:1={KeyB}",
            $"--Svi:Webhooks:Endpoints:0:Url={Receiver.Url("/hooks/a")}",
            $"--Svi:Webhooks:Endpoints:0:Secret={SecretA}",
            $"--Svi:Webhooks:Endpoints:0:Key={KeyA}",
            $"--Svi:Webhooks:Secret={SharedSecret}",
            "--Svi:Webhooks:AllowPrivateAddresses=true",
            "--Svi:Webhooks:FirstRetrySeconds=0.2",
            "--Svi:Webhooks:SchedulePollSeconds=0.2",
        ]);
    }

    /// <summary>The first request <paramref name="receiver"/> got about this video.</summary>
    public static async Task<WebhookReceiver.Received> EventForAsync(WebhookReceiver receiver, string videoId, double timeoutSeconds = 60)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds); ; await Task.Delay(50))
        {
            var match = receiver.Requests.FirstOrDefault(r => VideoId(r) == videoId);
            if (match is not null) return match;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no webhook about {videoId} arrived in {timeoutSeconds} s");
        }
    }

    public static string? VideoId(WebhookReceiver.Received r) =>
        JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetString();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
