using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Svi.Server.Tests.Models;

/// <summary>
/// A model hub on 127.0.0.1 serving generated files at /{owner}/{repo}/resolve/{revision}/{path}, with per-file
/// misbehaviour: cut the connection, stall, ignore Range, send a wrong ETag, redirect.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    public sealed class Served
    {
        public required byte[] Content { get; init; }
        /// <summary>Drop the connection after this many bytes on the first request only.</summary>
        public long? CutOnceAfter { get; set; }
        /// <summary>Send headers and this many bytes, then never send more (until the test ends).</summary>
        public long? StallAfter { get; set; }
        public bool IgnoreRange { get; set; }
        public string? LinkedEtag { get; set; }
        public bool SendSha256Etag { get; set; }
        public bool RedirectToCdn { get; set; }
        public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
    }

    readonly WebApplication app;
    readonly TaskCompletionSource stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The commit the fake hub pins its repositories at, and answers as X-Repo-Commit.</summary>
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    public ConcurrentDictionary<string, Served> Files { get; } = new();
    /// <summary>Every request as "path range", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    public string BaseUrl { get; }

    TestHub(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<TestHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestHub? hub = null;
        app.Map("/{**path}", (HttpContext ctx, string path) => hub!.Serve(ctx, path));
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hub = new TestHub(app, url);
        return hub;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    async Task Serve(HttpContext ctx, string path)
    {
        string range = ctx.Request.Headers.Range.ToString();
        Requests.Enqueue($"{(HttpMethods.IsHead(ctx.Request.Method) ? "HEAD " : "")}{path} {range}".Trim());
        ctx.Response.Headers["X-Repo-Commit"] = Commit;
        if (path.StartsWith("cdn/", StringComparison.Ordinal)) path = path["cdn/".Length..];
        else if (Files.TryGetValue(path, out var r) && r.RedirectToCdn)
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = $"{BaseUrl}/cdn/{path}";
            ctx.Response.Headers["X-Linked-Size"] = r.Content.Length.ToString();
            ctx.Response.Headers["X-Linked-ETag"] = $"\"{r.LinkedEtag ?? r.Sha256}\"";
            return;
        }
        if (!Files.TryGetValue(path, out var file))
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        long from = 0;
        if (!file.IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            from = long.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (from >= file.Content.Length)
            {
                ctx.Response.StatusCode = 416;
                return;
            }
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = $"bytes {from}-{file.Content.Length - 1}/{file.Content.Length}";
        }
        if (file.LinkedEtag is not null && !file.RedirectToCdn) ctx.Response.Headers["X-Linked-ETag"] = $"\"{file.LinkedEtag}\"";
        if (file.SendSha256Etag) ctx.Response.Headers["X-Linked-ETag"] = $"\"{file.Sha256}\"";
        ctx.Response.ContentLength = file.Content.Length - from;
        long limit = file.Content.Length - from;
        bool cut = false;
        if (file.CutOnceAfter is { } c)
        {
            file.CutOnceAfter = null;
            limit = Math.Min(limit, c);
            cut = true;
        }
        if (file.StallAfter is { } s) limit = Math.Min(limit, s);
        await ctx.Response.Body.WriteAsync(file.Content.AsMemory((int)from, (int)limit));
        await ctx.Response.Body.FlushAsync();
        if (cut) ctx.Abort();
        else if (file.StallAfter is not null) await stalled.Task.WaitAsync(ctx.RequestAborted).ContinueWith(_ => { });
    }

    public async ValueTask DisposeAsync()
    {
        stalled.TrySetResult();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
