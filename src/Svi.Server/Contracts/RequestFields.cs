using System.Globalization;
using System.Text.Json;

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

    public static async Task<RequestFields> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var fields = new RequestFields();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try { form = await request.ReadFormAsync(ct); }
            catch (InvalidDataException e)
            {
                throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                    $"The form body could not be read: {e.Message}", null, "request_too_large");
            }
            foreach (var (key, values) in form)
                fields.formFields[NormalizeArrayKey(key)] = [.. values.Select(v => v ?? "")];
            foreach (var file in form.Files) fields.fileFields[file.Name] = file;
            return fields;
        }
        var type = request.ContentType ?? "";
        if (!type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json"))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Content-Type '{type}'. Send application/json or multipart/form-data.", null, "unsupported_content_type");
        JsonDocument doc;
        try { doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct); }
        catch (JsonException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {e.Message}", null, "invalid_json");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new ApiException(StatusCodes.Status400BadRequest, "The request body must be a JSON object.", null, "invalid_json");
        foreach (var property in doc.RootElement.EnumerateObject()) fields.jsonFields[property.Name] = property.Value.Clone();
        return fields;
    }

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
