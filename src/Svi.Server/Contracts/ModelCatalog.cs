namespace Svi.Server.Contracts;

/// <summary>The models this server answers for, and how a request's <c>model</c> resolves to one.</summary>
public static class ModelCatalog
{
    public const string SviProId = "svi-2-0-pro";

    public static string Resolve(string? requested, IReadOnlyDictionary<string, string> aliases)
    {
        if (requested is null) return SviProId;
        if (requested == SviProId) return SviProId;
        if (aliases.TryGetValue(requested, out var target)) return target;
        var served = new[] { SviProId }.Concat(aliases.Keys);
        throw ApiException.Invalid("model",
            $"The model '{requested}' is not served here. Served models: {string.Join(", ", served)}.", "model_not_found");
    }
}
