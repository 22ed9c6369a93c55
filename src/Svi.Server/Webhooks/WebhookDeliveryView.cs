namespace Svi.Server.Webhooks;

/// <summary>A delivery as <c>GET /v1/webhooks/deliveries</c> shows it (times in Unix seconds, like OpenAI's objects).</summary>
public sealed record WebhookDeliveryView(
    string Id, string Object, string EventId, string Type, string VideoId, string Url, string Status, int Attempts,
    int? StatusCode, string? Error, long CreatedAt, long? LastAttemptAt, long? NextRetryAt, long? DeliveredAt)
{
    public static WebhookDeliveryView From(WebhookDelivery d) => new(
        d.Id, "webhook.delivery", d.EventId, d.EventType, d.GenerationId, d.Url, d.Status, d.Attempts, d.LastStatusCode, d.LastError,
        d.CreatedAt.ToUnixTimeSeconds(), d.LastAttemptAt?.ToUnixTimeSeconds(), d.NextAttemptAt?.ToUnixTimeSeconds(),
        d.DeliveredAt?.ToUnixTimeSeconds());
}
