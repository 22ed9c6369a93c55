using System.Text;
using Microsoft.Extensions.Options;
using Svi.Server.Api;
using Svi.Server.Hosting;

namespace Svi.Server.Webhooks;

/// <summary>
/// Who hears about a generation: the configured endpoints for its key (or for all keys) that take the event, and the
/// request's own <c>webhook_url</c>. A delivery names its secret by reference (<c>endpoint:N</c> or <c>request</c>), so
/// no secret is ever stored in the database.
/// </summary>
public sealed class WebhookTargets(IOptions<SviOptions> options)
{
    public const string RequestSecret = "request";

    public sealed record Target(string Url, string SecretRef);

    private WebhookOptions Settings => options.Value.Webhooks;

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

    /// <summary>A request's own <c>webhook_url</c>, checked against the URL policy and for a secret to sign it with.</summary>
    public string? RequestUrl(Contracts.RequestFields fields, string owner) =>
        WebhookUrlPolicy.Read(fields, Settings.AllowPrivateAddresses, RequestSecretFor(owner) is not null);

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
            if (e.Key.Length > 0 && OwnerOf(e.Key) == owner && WebhookSecret.TryParse(e.Secret, out var own)) return own;
        return WebhookSecret.TryParse(Settings.Secret, out var shared) ? shared : null;
    }

    private static bool Hears(WebhookEndpointOptions e, string owner) => e.Key.Length == 0 || OwnerOf(e.Key) == owner;

    private static string OwnerOf(string key) => ApiKeyAuthentication.OwnerOf(Encoding.UTF8.GetBytes(key));
}
