using System.Globalization;
using Svi.Server.Contracts;

namespace Svi.Server.Api;

/// <summary>Query-string and header values parsed by hand, so that bad ones get our error body, not a bare 400.</summary>
public static class QueryArgs
{
    public static int? Limit(string? text) => text is null ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to 100; got '{text}'.");

    public static string? IdempotencyKey(HttpRequest request)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0) return null;
        if (key.Length > 200)
            throw ApiException.Invalid("Idempotency-Key", "The Idempotency-Key header must be at most 200 characters.");
        return key;
    }
}
