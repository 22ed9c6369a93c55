using Hangfire;
using Microsoft.Extensions.Options;
using Serilog.Context;
using Svi.Server.Jobs;

namespace Svi.Server.Webhooks;

/// <summary>
/// The Hangfire job behind one delivery attempt. A failed attempt schedules the next one (the wait doubles from
/// <c>FirstRetrySeconds</c> up to <c>MaxRetryDelaySeconds</c>) in the transaction that logs it, until the retry horizon
/// has passed. Every attempt carries the same <c>webhook-id</c> and body, with a fresh timestamp and signature.
/// </summary>
public sealed class WebhookDeliveryJob(WebhookDeliveryStore store, WebhookTargets targets, WebhookSender sender,
    IBackgroundJobClient jobs, IOptions<WebhookOptions> options, ILogger<WebhookDeliveryJob> log)
{
    public const string Queue = "webhooks";

    // A thrown exception here is the database, not the receiver (whose failures are recorded and rescheduled).
    [AutomaticRetry(Attempts = 5)]
    public async Task DeliverAsync(string deliveryId, CancellationToken shutdown)
    {
        using var _ = LogContext.PushProperty("WebhookId", deliveryId);
        var delivery = await store.GetAsync(deliveryId, shutdown);
        if (delivery is not { Status: WebhookDelivery.Pending }) return;
        using var __ = LogContext.PushProperty("GenerationId", delivery.GenerationId);

        var now = DateTimeOffset.UtcNow;
        int attempt = delivery.Attempts + 1;
        var secret = targets.Secret(delivery.SecretRef, delivery.Owner);
        var outcome = secret is null
            ? new WebhookSender.Outcome(null, $"no signing secret is configured for {delivery.SecretRef} any more", true)
            : await sender.SendAsync(delivery, secret, shutdown);
        var next = outcome.Succeeded || outcome.Blocked ? (DateTimeOffset?)null : NextAttempt(delivery, attempt, now);
        string status = outcome.Succeeded ? WebhookDelivery.Delivered
            : outcome.Blocked ? WebhookDelivery.Refused
            : next is null ? WebhookDelivery.Failed : WebhookDelivery.Pending;
        var updated = delivery with
        {
            Status = status,
            Attempts = attempt,
            LastStatusCode = outcome.StatusCode,
            LastError = outcome.Succeeded ? null : outcome.Error ?? $"HTTP {outcome.StatusCode}",
            LastAttemptAt = now,
            NextAttemptAt = next,
            DeliveredAt = outcome.Succeeded ? DateTimeOffset.UtcNow : null,
        };

        using (var transaction = GenerationQueue.Begin())
        {
            if (!await store.RecordAttemptAsync(updated, CancellationToken.None)) return;
            if (next is { } at)
                jobs.Schedule<WebhookDeliveryJob>(Queue, job => job.DeliverAsync(deliveryId, CancellationToken.None), at);
            transaction.Complete();
        }
        WebhookMetrics.Attempted(status == WebhookDelivery.Pending ? "retry" : status);
        if (outcome.Succeeded)
            log.LogInformation("Webhook {WebhookId} delivered to {Url} (HTTP {StatusCode}, attempt {Attempt})", deliveryId, delivery.Url, outcome.StatusCode, attempt);
        else
            log.LogWarning("Webhook {WebhookId} to {Url} failed (attempt {Attempt}): {Error}; {Next}", deliveryId, delivery.Url, attempt,
                updated.LastError, next is null ? "no further attempt" : $"next attempt at {next:O}");
    }

    private DateTimeOffset? NextAttempt(WebhookDelivery delivery, int attempt, DateTimeOffset now)
    {
        var settings = options.Value;
        double wait = Math.Min(settings.FirstRetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 30)), settings.MaxRetryDelaySeconds);
        var at = now.AddSeconds(wait);
        return at <= delivery.CreatedAt.AddHours(settings.RetryHorizonHours) ? at : null;
    }
}
