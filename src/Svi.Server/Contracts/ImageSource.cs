using System.Text.Json;

namespace Svi.Server.Contracts;

/// <summary>Where a request's anchor image comes from, before it is fetched and decoded.</summary>
public abstract record ImageSource(string Param)
{
    public sealed record Bytes(string Param, byte[] Data) : ImageSource(Param);
    public sealed record Url(string Param, Uri Address) : ImageSource(Param);

    public const string Forms = "an uploaded file part, an http(s) URL, a data: URI or base64-encoded image bytes";

    /// <summary>A text value: an http(s) URL, a <c>data:</c> URI or bare base64.</summary>
    public static ImageSource FromText(string param, string text, long maxBytes)
    {
        text = text.Trim();
        if (text.Length == 0) throw ApiException.Invalid(param, $"'{param}' is empty; give {Forms}.");
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw ApiException.Invalid(param, $"'{param}' is not a valid URL: '{Shorten(text)}'.", "invalid_url");
            return new Url(param, uri);
        }
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            int comma = text.IndexOf(',');
            if (comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                throw ApiException.Invalid(param, $"'{param}' is a data: URI but not a base64 one (expected data:image/...;base64,...).", "invalid_image");
            text = text[(comma + 1)..];
        }
        else if (Uri.TryCreate(text, UriKind.Absolute, out var other) && other.Scheme.Length > 1 && text.Contains("://"))
        {
            throw ApiException.Invalid(param, $"'{param}' uses the URL scheme '{other.Scheme}'; only http and https URLs are fetched.", "invalid_url");
        }
        if ((long)text.Length * 3 / 4 > maxBytes) throw TooLarge(param, maxBytes);
        try { return new Bytes(param, Convert.FromBase64String(text)); }
        catch (FormatException)
        {
            throw ApiException.Invalid(param, $"'{param}' is neither an http(s) URL nor valid base64 image data; give {Forms}.", "invalid_image");
        }
    }

    public static async Task<ImageSource> FromFileAsync(string param, IFormFile file, long maxBytes, CancellationToken ct)
    {
        if (file.Length > maxBytes) throw TooLarge(param, maxBytes);
        if (file.Length == 0) throw ApiException.Invalid(param, $"The file part '{param}' is empty.", "invalid_image");
        using var ms = new MemoryStream((int)file.Length);
        await file.CopyToAsync(ms, ct);
        return new Bytes(param, ms.ToArray());
    }

    /// <summary>OpenAI's JSON object form <c>{"image_url": "..."}</c> (or <c>{"file_id": "..."}</c>, which this server has no files API for).</summary>
    public static ImageSource FromJsonObject(string param, JsonElement e, long maxBytes)
    {
        if (e.ValueKind == JsonValueKind.String) return FromText(param, e.GetString()!, maxBytes);
        if (e.ValueKind != JsonValueKind.Object)
            throw ApiException.Invalid(param, $"'{param}' must be an object {{\"image_url\": \"...\"}} or a string URL.", "invalid_type");
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name == "file_id") throw FileIdUnsupported(param);
            if (p.Name != "image_url")
                throw ApiException.Invalid($"{param}.{p.Name}", $"Unknown field '{p.Name}' in '{param}'. Allowed: image_url.", "unknown_parameter");
        }
        if (!e.TryGetProperty("image_url", out var url) || url.ValueKind != JsonValueKind.String)
            throw ApiException.Invalid(param, $"'{param}.image_url' must be a string: an http(s) URL or a data: URI.", "invalid_type");
        return FromText(param, url.GetString()!, maxBytes);
    }

    public static ApiException FileIdUnsupported(string param) => ApiException.Invalid(param,
        $"'{param}' by file_id is not supported: this server has no files API. Upload the image as a file part or give image_url.",
        "unsupported_parameter");

    public static ApiException TooLarge(string param, long maxBytes) => new(StatusCodes.Status413PayloadTooLarge,
        $"The image in '{param}' is larger than the limit of {maxBytes} bytes.", param, "image_too_large");

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
