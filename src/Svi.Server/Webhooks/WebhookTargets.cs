using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Webhooks;

/// <summary>
/// Who hears about a generation: the configured endpoints for its key (or for all keys) that take the event, and the
/// request's own <c>webhook_url</c>. A delivery names its secret by reference (<c>endpoint:N</c> or <c>request</c>), so
/// no secret is ever stored in the database.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    public const string RequestSecret = "request";

    public sealed record Target(string Url, string SecretRef);

    private WebhookOptions Settings => options.Value;

    public IReadOnlyList<Target> For(string owner, string eventType, string? requestUrl)
    {
        var targets = new List<Target>();
        for (int i = 0; i < Settings.Endpoints.Count; i++)
        {
            var e = Settings.Endpoints[i];
            if (Hears(e, owner) && (e.Events.Length == 0 || e.Events.Contains(eventType)))
                targets.Add(new Target(e.Url, $"endpoint:{i}"));
        }
        if (requestUrl is not null) targets.Add(new Target(requestUrl, RequestSecret));
        return targets;
    }

    /// <summary>
    /// Refuses a request's own <c>webhook_url</c> (already checked by <c>SpecValidator</c>) when nothing can sign it for
    /// the caller's key.
    /// </summary>
    public void RequireSecretForRequestUrl(string owner)
    {
        if (RequestSecretFor(owner) is null)
            throw ApiException.Invalid("webhook_url",
                "'webhook_url' needs a signing secret, and this server has none for your key: the operator sets Svi:Webhooks:Secret " +
                "or an endpoint with your key.", "webhooks_not_configured");
    }

    /// <summary>The secret a delivery is signed with; null when configuration no longer has it.</summary>
    public WebhookSecret? Secret(string secretRef, string owner)
    {
        if (secretRef == RequestSecret) return RequestSecretFor(owner);
        if (secretRef.StartsWith("endpoint:", StringComparison.Ordinal) && int.TryParse(secretRef["endpoint:".Length..], out int i)
            && i < Settings.Endpoints.Count && WebhookSecret.TryParse(Settings.Endpoints[i].Secret, out var secret))
            return secret;
        return null;
    }

    /// <summary>A request URL is signed with the secret of an endpoint configured for the caller's own key, else the deployment's.</summary>
    public WebhookSecret? RequestSecretFor(string owner)
    {
        foreach (var e in Settings.Endpoints)
            if (e.Key.Length > 0 && KeyOwner.Of(e.Key) == owner && WebhookSecret.TryParse(e.Secret, out var own)) return own;
        return WebhookSecret.TryParse(Settings.Secret, out var shared) ? shared : null;
    }

    private static bool Hears(WebhookEndpointOptions e, string owner) => e.Key.Length == 0 || KeyOwner.Of(e.Key) == owner;
}
