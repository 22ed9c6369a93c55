using System.Text.Json;
using System.Text.Json.Serialization;
using Svi.Server.Storage;

namespace Svi.Server.Webhooks;

/// <summary>
/// The body of a delivery, exactly as OpenAI's Videos API sent it:
/// <c>{"id":"evt_…","object":"event","created_at":…,"type":"video.completed","data":{"id":"video_…"}}</c>.
/// </summary>
public sealed record WebhookEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("data")] WebhookEventData Data)
{
    public const string Completed = "video.completed", Failed = "video.failed", Cancelled = "video.cancelled";
    public static readonly IReadOnlyList<string> Types = [Completed, Failed, Cancelled];

    /// <summary>The event a generation's final status announces.</summary>
    public static WebhookEvent For(GenerationRecord finished, DateTimeOffset now) => new(
        "evt_" + Guid.NewGuid().ToString("N"), "event", now.ToUnixTimeSeconds(), TypeOf(finished.Status),
        new WebhookEventData(finished.Id));

    public static string TypeOf(string status) => status switch
    {
        GenerationStatus.Completed => Completed,
        GenerationStatus.Failed => Failed,
        GenerationStatus.Cancelled => Cancelled,
        _ => throw new ArgumentException($"'{status}' is not a final status", nameof(status)),
    };

    public string ToJson() => JsonSerializer.Serialize(this);
}

public sealed record WebhookEventData([property: JsonPropertyName("id")] string Id);
