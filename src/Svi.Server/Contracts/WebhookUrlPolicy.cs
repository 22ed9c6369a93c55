using System.Net;
using Svi.Server.Network;

namespace Svi.Server.Contracts;

/// <summary>
/// Which URLs a webhook may go to: absolute http(s), no credentials in it, and, unless private addresses are allowed,
/// not a private or loopback IP literal. A host name is checked on every attempt, on the address dialled.
/// </summary>
public static class WebhookUrlPolicy
{
    public const int MaxLength = 2048;

    /// <summary>Why the URL cannot be a receiver, or null.</summary>
    public static string? Problem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url)) return "must be an absolute http or https URL";
        if (url.Length > MaxLength) return $"must be at most {MaxLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"must be an absolute http or https URL; got '{url}'";
        if (uri.UserInfo.Length > 0) return "must not carry credentials";
        if (!allowPrivate && IPAddress.TryParse(uri.DnsSafeHost, out var ip) && !NetworkAddresses.IsPublic(ip))
            return $"points at a private or loopback address ({uri.Host}); webhooks go to public addresses unless the operator " +
                "sets Svi:Webhooks:AllowPrivateAddresses=true";
        return null;
    }

    /// <summary>A request's <c>webhook_url</c>: refused with the reason when it cannot be a receiver.</summary>
    public static void Check(string? url, bool allowPrivate)
    {
        if (url is not null && Problem(url, allowPrivate) is { } problem)
            throw ApiException.Invalid("webhook_url", $"'webhook_url' {problem}.", "invalid_webhook_url");
    }
}
