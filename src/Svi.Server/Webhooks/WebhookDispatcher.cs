using Hangfire;
using Svi.Server.Jobs;
using Svi.Server.Storage;

namespace Svi.Server.Webhooks;

/// <summary>
/// Announces a finished generation: one delivery row and one Hangfire job per receiver, written in the transaction that
/// stores the final status (<see cref="GenerationTransitions"/>), so a crash right after cannot lose the event.
/// </summary>
public sealed class WebhookDispatcher(WebhookTargets targets, WebhookDeliveryStore deliveries, IBackgroundJobClient jobs,
    ILogger<WebhookDispatcher> log) : IFinishedGenerationHandler
{
    public async Task OnFinishedAsync(GenerationRecord finished, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var evt = WebhookEvent.For(finished, now);
        var receivers = targets.For(finished.Owner, evt.Type, finished.WebhookUrl);
        if (receivers.Count == 0) return;
        string payload = evt.ToJson();
        foreach (var target in receivers)
        {
            var delivery = new WebhookDelivery
            {
                Id = WebhookDelivery.NewId(),
                EventId = evt.Id,
                EventType = evt.Type,
                Owner = finished.Owner,
                GenerationId = finished.Id,
                Url = target.Url,
                SecretRef = target.SecretRef,
                Payload = payload,
                CreatedAt = now,
            };
            await deliveries.InsertAsync(delivery, ct);
            jobs.Enqueue<WebhookDeliveryJob>(WebhookDeliveryJob.Queue, job => job.DeliverAsync(delivery.Id, CancellationToken.None));
            log.LogInformation("Webhook {WebhookId} ({EventType}) queued for {Url}", delivery.Id, evt.Type, target.Url);
        }
    }
}
