using System.Globalization;
using System.Text.Json;
using Svi.Inference.Pipeline;

namespace Svi.Server.Contracts;

/// <summary>
/// The request's <c>lora_strengths</c>: an object from LoRA (by its manifest role, <see cref="LoraStrengths.Names"/>) to the
/// strength it merges at. Read from the native body (a JSON object; in a form, its JSON text or one field per key) and from
/// <c>./svi generate --lora-strength ROLE=VALUE</c>, then resolved against the recipe's LoRAs, so each surface words the
/// same mistake alike.
/// </summary>
public static class LoraStrengthFields
{
    public const string Field = "lora_strengths";

    public static string Param(string role) => $"{Field}.{role}";

    public static string Describe(string param) =>
        $"'{param}' must be a number from {LoraStrengths.Min:0} to {LoraStrengths.Max:0}, the strength the LoRA merges at " +
        "(the public SVI 2.0 Pro workflows run the SVI LoRAs at 1, LightX2V at 0.5–1)";

    static string DescribeObject =>
        $"'{Field}' must be an object from LoRA to strength, such as {{\"lora_high\": 1.0, \"distill_lora_high\": 0.5}} " +
        $"(keys: {string.Join(", ", LoraStrengths.Names)})";

    /// <summary>
    /// A form's spelling of one key, <c>lora_strengths[lora_high]</c>, as multipart encoders (OpenAI's clients among them)
    /// write a nested object; one per LoRA a request may set, so any other is an unknown parameter.
    /// </summary>
    public static IEnumerable<string> FormKeys => LoraStrengths.Names.Select(name => $"{Field}[{name}]");

    /// <summary>The body's <c>lora_strengths</c> as given, keys unchecked; null when absent.</summary>
    public static IReadOnlyDictionary<string, double>? Read(RequestFields f)
    {
        // The spelling is a form's, but a JSON body that uses it means the same and gets the same reading.
        var perKey = FormKeys.Where(f.Has).Select(key => (Key: key, Role: key[(Field.Length + 1)..^1])).ToDictionary(k => k.Role,
            k => f.Json(k.Key) is { } value ? Strength(k.Role, value) : Number(k.Role, f.FormText(k.Key)), StringComparer.Ordinal);
        if (perKey.Count > 0)
            return f.Has(Field)
                ? throw ApiException.Invalid(Field, $"'{Field}' was given both as one field and as {string.Join(", ", perKey.Keys.Select(k => $"'{Field}[{k}]'"))}; use one form.",
                    "duplicate_parameter")
                : perKey;
        if (f.Json(Field) is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) } element) return FromJson(element);
        if ((f.Json(Field)?.GetString() ?? f.FormText(Field)) is not { } text) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            throw ApiException.Invalid(Field, $"{DescribeObject}; got '{text}', which is not JSON.", "invalid_type");
        }
    }

    static Dictionary<string, double> FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw ApiException.Invalid(Field, $"{DescribeObject}; got a JSON {element.ValueKind.ToString().ToLowerInvariant()}.", "invalid_type");
        var strengths = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
            strengths[property.Name] = Strength(property.Name, property.Value);
        return strengths;
    }

    static double Strength(string role, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var strength) => strength,
        JsonValueKind.String => Number(role, value.GetString()),
        _ => throw ApiException.Invalid(Param(role), $"{Describe(Param(role))}; got {value.GetRawText()}.", "invalid_type"),
    };

    // A number written as text, as a form sends every value and a command line every flag.
    static double Number(string role, string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var strength)
            ? strength
            : throw ApiException.Invalid(Param(role), $"{Describe(Param(role))}; got '{text}'.", "invalid_type");

    /// <summary><c>--lora-strength</c>'s ROLE=VALUE pairs, keys unchecked; null when none.</summary>
    public static IReadOnlyDictionary<string, double>? Parse(IReadOnlyList<string> pairs)
    {
        if (pairs.Count == 0) return null;
        var strengths = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var (role, text) = pair.IndexOf('=') is var at and > 0 ? (pair[..at].Trim(), pair[(at + 1)..].Trim())
                : throw ApiException.Invalid(Field, $"--lora-strength takes ROLE=VALUE, such as lora_high=0.8 (roles: " +
                    $"{string.Join(", ", LoraStrengths.Names)}); got '{pair}'.");
            strengths[role] = Number(role, text);
        }
        return strengths;
    }

    /// <summary>
    /// The strengths a generation renders with: <paramref name="recipeLoras"/> (the deployment's for each LoRA the recipe
    /// loads) with each requested one in its place. A key that is no LoRA, a LoRA the recipe does not load or a strength
    /// out of range is refused.
    /// </summary>
    public static LoraStrengths Resolve(IReadOnlyDictionary<string, double>? requested, LoraStrengths recipeLoras, SviRecipe recipe)
    {
        if (requested is null) return recipeLoras;
        var overrides = new Dictionary<Inference.Runtime.ModelRole, double>();
        foreach (var (name, strength) in requested)
        {
            if (!LoraStrengths.TryParse(name, out var role))
                throw ApiException.Invalid(Param(name), $"'{Field}' has no LoRA '{name}'; its keys are {string.Join(", ", LoraStrengths.Names)}.",
                    "unknown_parameter");
            if (recipeLoras.Get(role) is null)
                throw ApiException.Invalid(Param(name), $"'{Param(name)}' names a LoRA the {recipe.Name()} recipe does not load; it loads " +
                    $"{string.Join(", ", recipeLoras.ByName().Keys)}.");
            if (!LoraStrengths.Allowed(strength))
                throw ApiException.Invalid(Param(name), $"{Describe(Param(name))}; got {strength.ToString(CultureInfo.InvariantCulture)}.");
            overrides[role] = strength;
        }
        return recipeLoras.With(new LoraStrengths(overrides));
    }
}
