using System.Reflection;

namespace Svi.Server.Playground;

/// <summary>
/// The playground: one static page at <c>/</c> and <c>/playground</c> that talks to the public API from the browser.
/// Its files are embedded in svi.dll, so it needs no build toolchain and no files beside the binary. The page holds no
/// secret: it asks the user for an API key and keeps it in the tab's session storage. <c>Svi:Playground:Enabled</c>
/// (default true) switches it off for API-only deployments.
/// </summary>
public static class PlaygroundEndpoints
{
    public const string EnabledKey = "Svi:Playground:Enabled";

    private const string ResourcePrefix = "playground/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    // Everything comes from this origin; media and previews are fetched with the key and shown as blob: URLs,
    // because a <video src> cannot send an Authorization header.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static void MapPlayground(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (!(configuration.GetValue<bool?>(EnabledKey) ?? true)) return;
        var assembly = Assembly.GetExecutingAssembly();
        var files = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(name => name[ResourcePrefix.Length..], name => Read(assembly, name), StringComparer.Ordinal);
        if (!files.ContainsKey("index.html"))
            throw new InvalidOperationException("The playground page (playground/index.html) is not embedded in svi.dll.");
        IResult Serve(string name, HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["Content-Security-Policy"] = ContentSecurityPolicy;
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            return Results.Bytes(files[name], ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
        }
        app.MapGet("/", (HttpContext c) => Serve("index.html", c)).ExcludeFromDescription();
        app.MapGet("/playground", (HttpContext c) => Serve("index.html", c)).ExcludeFromDescription();
        app.MapGet("/playground/{file}", (string file, HttpContext c) =>
            files.ContainsKey(file) && file != "index.html" ? Serve(file, c) : Results.NotFound()).ExcludeFromDescription();
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
