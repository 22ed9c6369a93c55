using System.Security.Cryptography;
using System.Text;

namespace Svi.Server.Webhooks;

/// <summary>
/// A Standard Webhooks signing key, written <c>whsec_</c> + base64. A delivery is signed as
/// <c>v1,</c> + base64(HMAC-SHA256(key, <c>{webhook-id}.{webhook-timestamp}.{body}</c>)), which is what
/// OpenAI's clients (<c>webhooks.unwrap</c>) and the StandardWebhooks libraries verify.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";
    private readonly byte[] key;

    private WebhookSecret(byte[] key) => this.key = key;

    public static bool TryParse(string? text, out WebhookSecret secret)
    {
        secret = null!;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text[Prefix.Length..], bytes, out int length) || length < 16) return false;
        secret = new WebhookSecret(bytes[..length]);
        return true;
    }

    public static WebhookSecret Parse(string text) => TryParse(text, out var secret) ? secret
        : throw new FormatException("A webhook secret is 'whsec_' followed by the base64 of at least 16 bytes.");

    public string Sign(string webhookId, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
