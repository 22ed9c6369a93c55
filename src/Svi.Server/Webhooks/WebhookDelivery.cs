namespace Svi.Server.Webhooks;

/// <summary>
/// One row of <c>webhook_deliveries</c>: one event for one receiver, with every attempt's outcome. <see cref="Id"/> is
/// the <c>webhook-id</c> header, the same on every attempt, so a receiver can drop a repeat.
/// </summary>
public sealed record WebhookDelivery
{
    public const string Pending = "pending", Delivered = "delivered", Failed = "failed", Refused = "refused";

    public required string Id { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required string Owner { get; init; }
    public required string GenerationId { get; init; }
    public required string Url { get; init; }
    /// <summary><c>endpoint:N</c> or <c>request</c>: where the signing secret is configured.</summary>
    public required string SecretRef { get; init; }
    /// <summary>The exact body, kept so that every attempt sends the same bytes.</summary>
    public required string Payload { get; init; }
    public string Status { get; init; } = Pending;
    public int Attempts { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }

    public static string NewId() => "wh_" + Guid.NewGuid().ToString("N");
}
