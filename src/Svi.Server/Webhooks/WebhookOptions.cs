namespace Svi.Server.Webhooks;

/// <summary>The <c>Svi:Webhooks</c> section: where finished generations are announced, and how deliveries retry.</summary>
public sealed class WebhookOptions
{
    /// <summary>Receivers configured by the operator, each for one API key's jobs or for all.</summary>
    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];
    /// <summary>
    /// <c>whsec_</c> + base64: signs deliveries to a request's own <c>webhook_url</c> when the caller's key has no
    /// endpoint of its own. Without either, a request's <c>webhook_url</c> is refused.
    /// </summary>
    public string? Secret { get; set; }
    /// <summary>Deliver to loopback, private and link-local addresses too (receivers inside the same network).</summary>
    public bool AllowPrivateAddresses { get; set; }
    /// <summary>How long after the event a failing delivery is still retried.</summary>
    public double RetryHorizonHours { get; set; } = 24;
    /// <summary>The wait before the first retry; each later one waits twice as long, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public double FirstRetrySeconds { get; set; } = 5;
    public double MaxRetryDelaySeconds { get; set; } = 3600;
    /// <summary>One attempt's limit, connect to last byte; Standard Webhooks expects receivers to answer fast.</summary>
    public double TimeoutSeconds { get; set; } = 10;
    /// <summary>How often a process looks for retries that are due (Hangfire's scheduled jobs) and for attempts a killed process left.</summary>
    public double SchedulePollSeconds { get; set; } = 5;
    /// <summary>Deliveries attempted at once by one process.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Whether anything can ever be delivered: an endpoint, or a secret for request URLs.</summary>
    public bool Enabled => Endpoints.Count > 0 || !string.IsNullOrEmpty(Secret);
}
