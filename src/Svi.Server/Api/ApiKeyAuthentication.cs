using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// Bearer API keys for everything under <c>/v1</c>. The caller's identity is a digest of its key, stored as the
/// owner of what it creates, so a generation is visible only to the key that made it. With no keys configured the
/// API is open and every caller shares the owner "". An admin key (<c>Svi:AdminKeys</c>) is accepted everywhere, open
/// API or not, and may also read <c>/v1/usage</c>.
/// </summary>
public sealed class ApiKeyAuthentication(RequestDelegate next, IOptions<SviOptions> options)
{
    private const string OwnerItem = "svi.owner", AdminItem = "svi.admin";
    private readonly byte[][] acceptedKeys = [.. options.Value.ApiKeys.Select(k => Encoding.UTF8.GetBytes(k))];
    private readonly byte[][] adminKeys = [.. options.Value.AdminKeys.Select(k => Encoding.UTF8.GetBytes(k))];

    public async Task InvokeAsync(HttpContext context)
    {
        bool api = context.Request.Path.StartsWithSegments("/v1");
        if (api && Presented(context) is { } key && adminKeys.Any(k => CryptographicOperations.FixedTimeEquals(k, key)))
        {
            context.Items[OwnerItem] = KeyOwner.Of(key);
            context.Items[AdminItem] = true;
            await next(context);
            return;
        }
        if (!api || acceptedKeys.Length == 0)
        {
            context.Items[OwnerItem] = "";
            await next(context);
            return;
        }
        var presented = Presented(context) ?? throw new ApiException(StatusCodes.Status401Unauthorized,
            "Missing API key: send 'Authorization: Bearer <key>'.", null, "missing_api_key");
        if (!acceptedKeys.Any(k => CryptographicOperations.FixedTimeEquals(k, presented)))
            throw new ApiException(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", null, "invalid_api_key");
        context.Items[OwnerItem] = KeyOwner.Of(presented);
        await next(context);
    }

    public static string Owner(HttpContext context) => context.Items[OwnerItem] as string ?? "";

    public static bool IsAdmin(HttpContext context) => context.Items[AdminItem] is true;

    private static byte[]? Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()) : null;
    }
}
