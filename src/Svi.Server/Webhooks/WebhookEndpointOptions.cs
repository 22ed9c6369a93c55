namespace Svi.Server.Webhooks;

/// <summary>One <c>Svi:Webhooks:Endpoints:N</c> entry.</summary>
public sealed class WebhookEndpointOptions
{
    public string Url { get; set; } = "";
    /// <summary><c>whsec_</c> + base64 of the signing key, as Standard Webhooks and OpenAI's dashboard write it.</summary>
    public string Secret { get; set; } = "";
    /// <summary>The API key whose jobs this endpoint hears; empty: every key's.</summary>
    public string Key { get; set; } = "";
    /// <summary>Event types it receives (<c>video.completed</c>, <c>video.failed</c>, <c>video.cancelled</c>); empty: all.</summary>
    public string[] Events { get; set; } = [];
}
