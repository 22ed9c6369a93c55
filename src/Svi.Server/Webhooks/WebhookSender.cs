using System.Text;
using Microsoft.Extensions.Options;
using Svi.Server.Network;

namespace Svi.Server.Webhooks;

/// <summary>
/// One HTTP attempt of a delivery: a signed POST that follows no redirect, gives up after the configured timeout, and
/// dials only the addresses <see cref="GuardedConnect"/> allows.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>What one attempt ended with: a status code, or why there was none.</summary>
    public sealed record Outcome(int? StatusCode, string? Error, bool Blocked)
    {
        public bool Succeeded => StatusCode is >= 200 and < 300;
    }

    private readonly HttpClient http;
    private readonly TimeSpan timeout;

    public WebhookSender(IOptions<WebhookOptions> options)
    {
        var settings = options.Value;
        timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = GuardedConnect.Callback(settings.AllowPrivateAddresses),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("svi-server-webhooks/1.0");
    }

    public async Task<Outcome> SendAsync(WebhookDelivery delivery, WebhookSecret secret, CancellationToken ct)
    {
        long timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", secret.Sign(delivery.Id, timestamp, delivery.Payload));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            int code = (int)response.StatusCode;
            return new Outcome(code, code is >= 300 and < 400 ? "redirects are not followed" : null, false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(null, $"no answer within {timeout.TotalSeconds:0.#} s", false);
        }
        catch (HttpRequestException e) when (GuardedConnect.FindBlocked(e) is { } blocked)
        {
            return new Outcome(null, $"refused: the URL resolves to a private, loopback or link-local address ({blocked.Describe()}); " +
                "set Svi:Webhooks:AllowPrivateAddresses=true to deliver inside the network", true);
        }
        catch (HttpRequestException e)
        {
            return new Outcome(null, e.Message, false);
        }
    }

    public void Dispose() => http.Dispose();
}
