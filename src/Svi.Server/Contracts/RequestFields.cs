using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Svi.Server.Contracts;

/// <summary>
/// A request body's fields, whether they came as JSON or as multipart/urlencoded form data, with typed reads that
/// fail with a message naming the field. Form values are strings, so numbers are parsed from text in both cases.
/// </summary>
public sealed class RequestFields
{
    private readonly Dictionary<string, JsonElement> jsonFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> formFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IFormFile> fileFields = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => jsonFields.Keys.Concat(formFields.Keys).Concat(fileFields.Keys).Distinct();

    public bool Has(string name) => jsonFields.ContainsKey(name) || formFields.ContainsKey(name) || fileFields.ContainsKey(name);

    /// <summary>
    /// Reads a JSON or multipart/urlencoded body, allowing at most <paramref name="limits"/>' bytes for its kind. Every
    /// malformed body is a 400 naming what is wrong: truncated or boundary-less multipart, too many parts, JSON that
    /// is not an object, text that is not valid UTF-8 or UTF-16, NUL characters.
    /// </summary>
    public static async Task<RequestFields> ReadAsync(HttpRequest request, BodyLimits limits, CancellationToken ct)
    {
        var fields = new RequestFields();
        var type = request.ContentType ?? "";
        bool json = type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = json ? limits.Json : limits.Form;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try { form = await request.ReadFormAsync(ct); }
            catch (BadHttpRequestException) { throw; }
            catch (InvalidDataException e)
            {
                throw new ApiException(StatusCodes.Status400BadRequest, $"The form body could not be read: {e.Message}", null, "invalid_form");
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                throw new ApiException(StatusCodes.Status400BadRequest,
                    "The form body ended before its closing boundary (truncated multipart/form-data).", null, "invalid_form");
            }
            foreach (var (key, values) in form)
            {
                var name = NormalizeArrayKey(key);
                fields.formFields[name] = [.. values.Select(v => CheckText(name, v ?? ""))];
            }
            foreach (var file in form.Files) fields.fileFields[file.Name] = file;
            return fields;
        }
        if (!json)
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Content-Type '{type}'. Send application/json or multipart/form-data.", null, "unsupported_content_type");
        JsonDocument doc;
        try { doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct); }
        catch (JsonException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {e.Message}", null, "invalid_json");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ApiException(StatusCodes.Status400BadRequest, "The request body must be a JSON object.", null, "invalid_json");
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var name = Decode(null, property, p => p.Name);
                CheckStrings(name, property.Value);
                fields.jsonFields[name] = property.Value.Clone();
            }
        }
        return fields;
    }

    // JSON strings are decoded lazily; invalid UTF-8 or a lone surrogate escape ("\ud800") only fails when read, so every
    // string is read once here, where the failure can still name its field.
    private static void CheckStrings(string field, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(field, Decode(field, e, x => x.GetString()!));
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) CheckStrings(field, item);
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Decode(field, p, x => x.Name);
                    CheckStrings(field, p.Value);
                }
                break;
        }
    }

    private static string Decode<T>(string? field, T element, Func<T, string> read)
    {
        try { return read(element); }
        catch (InvalidOperationException)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, field is null
                ? "A field name in the request body is not valid text (invalid UTF-8, or a lone UTF-16 surrogate escape such as \\ud800)."
                : $"'{field}' is not valid text: it holds invalid UTF-8 or a lone UTF-16 surrogate escape (such as \\ud800).",
                field, "invalid_text");
        }
    }

    // PostgreSQL's text and jsonb cannot hold NUL, and no prompt needs one.
    private static string CheckText(string field, string value) => value.Contains('\0')
        ? throw new ApiException(StatusCodes.Status400BadRequest,
            $"'{field}' contains a NUL character (\\u0000), which text fields may not hold.", field, "invalid_text")
        : value;

    // The OpenAI client sends arrays as `key[]`; `key[name]` (nested objects) stays as it is.
    private static string NormalizeArrayKey(string key) => key.EndsWith("[]", StringComparison.Ordinal) ? key[..^2] : key;

    public void RejectUnknown(IReadOnlyCollection<string> allowed)
    {
        foreach (var name in Names)
            if (!allowed.Contains(name))
                throw ApiException.Invalid(name,
                    $"Unknown parameter '{name}'. Allowed parameters: {string.Join(", ", allowed)}.", "unknown_parameter");
    }

    public string? String(string name, int maxLength)
    {
        string? value = null;
        if (jsonFields.TryGetValue(name, out var e))
        {
            if (e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind != JsonValueKind.String)
                throw ApiException.Invalid(name, $"'{name}' must be a string; got a JSON {Kind(e)}.", "invalid_type");
            value = e.GetString();
        }
        else if (formFields.TryGetValue(name, out var values)) value = Single(name, values);
        else if (fileFields.ContainsKey(name))
            throw ApiException.Invalid(name, $"'{name}' must be a text field, not a file.", "invalid_type");
        if (value is not null && value.Length > maxLength)
            throw ApiException.Invalid(name, $"'{name}' is {value.Length} characters long; the limit is {maxLength}.", "string_too_long");
        return value;
    }

    /// <summary>A number given as a JSON number or as text (multipart sends everything as text).</summary>
    public double? Number(string name, Func<string, string> describe)
    {
        string? text;
        if (jsonFields.TryGetValue(name, out var e))
        {
            if (e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
            if (e.ValueKind != JsonValueKind.String) throw ApiException.Invalid(name, $"{describe(name)}; got a JSON {Kind(e)}.", "invalid_type");
            text = e.GetString();
        }
        else if (formFields.TryGetValue(name, out var values)) text = Single(name, values);
        else return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        throw ApiException.Invalid(name, $"{describe(name)}; got '{text}'.", "invalid_type");
    }

    public long? Integer(string name, Func<string, string> describe)
    {
        string? text;
        if (jsonFields.TryGetValue(name, out var e))
        {
            if (e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind == JsonValueKind.Number)
            {
                if (e.TryGetInt64(out var n)) return n;
                throw ApiException.Invalid(name, $"{describe(name)}; got {e.GetRawText()}.", "invalid_type");
            }
            if (e.ValueKind != JsonValueKind.String) throw ApiException.Invalid(name, $"{describe(name)}; got a JSON {Kind(e)}.", "invalid_type");
            text = e.GetString();
        }
        else if (formFields.TryGetValue(name, out var values)) text = Single(name, values);
        else return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        throw ApiException.Invalid(name, $"{describe(name)}; got '{text}'.", "invalid_type");
    }

    public IReadOnlyList<string>? StringArray(string name, string describe)
    {
        if (jsonFields.TryGetValue(name, out var e))
        {
            if (e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                throw ApiException.Invalid(name, $"'{name}' must be {describe}.", "invalid_type");
            return [.. e.EnumerateArray().Select(x => x.GetString()!)];
        }
        return formFields.TryGetValue(name, out var values) ? values : null;
    }

    public JsonElement? Json(string name) => jsonFields.TryGetValue(name, out var e) ? e : null;
    public IFormFile? File(string name) => fileFields.GetValueOrDefault(name);
    public string? FormText(string name) => formFields.TryGetValue(name, out var v) ? Single(name, v) : null;

    private static string Single(string name, List<string> values) => values.Count == 1
        ? values[0]
        : throw ApiException.Invalid(name, $"'{name}' was given {values.Count} times; give it once.", "duplicate_parameter");

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.String => "string",
        _ => "null",
    };
}
