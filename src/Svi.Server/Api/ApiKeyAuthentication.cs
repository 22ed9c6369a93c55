using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Hosting;

namespace Svi.Server.Api;

/// <summary>
/// Bearer API keys for everything under <c>/v1</c>. The caller's identity is a digest of its key, stored as the
/// owner of what it creates, so a generation is visible only to the key that made it. With no keys configured the
/// API is open and every caller shares the owner "".
/// </summary>
public sealed class ApiKeyAuthentication(RequestDelegate next, IOptions<SviOptions> options)
{
    private const string OwnerItem = "svi.owner";
    private readonly byte[][] acceptedKeys = [.. options.Value.ApiKeys.Select(k => Encoding.UTF8.GetBytes(k))];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1") || acceptedKeys.Length == 0)
        {
            context.Items[OwnerItem] = "";
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status401Unauthorized,
                "Missing API key: send 'Authorization: Bearer <key>'.", null, "missing_api_key");
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!acceptedKeys.Any(k => CryptographicOperations.FixedTimeEquals(k, presented)))
            throw new ApiException(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", null, "invalid_api_key");
        context.Items[OwnerItem] = OwnerOf(presented);
        await next(context);
    }

    public static string OwnerOf(byte[] key) => "key:" + Convert.ToHexString(SHA256.HashData(key))[..32].ToLowerInvariant();

    public static string Owner(HttpContext context) => context.Items[OwnerItem] as string ?? "";
}
