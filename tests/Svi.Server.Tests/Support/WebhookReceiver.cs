using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Svi.Server.Tests.Support;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port, or the one given): it keeps every request it gets, as received, and answers
/// each with the next status of its script (200 once the script is used up). With <c>holdFirst</c>, the first request
/// gets no answer until <see cref="DisposeAsync"/>: an attempt still in flight.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> script;
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentQueue<Received> Requests { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;

    private WebhookReceiver(IEnumerable<int> statuses, int port, bool holdFirst)
    {
        script = new ConcurrentQueue<int>(statuses);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            Requests.Enqueue(new Received(context.Request.Path, body, headers));
            if (holdFirst && Requests.Count == 1) await held.Task;
            context.Response.StatusCode = script.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
        });
    }

    public static async Task<WebhookReceiver> StartAsync(IEnumerable<int>? statuses = null, int port = 0, bool holdFirst = false)
    {
        var receiver = new WebhookReceiver(statuses ?? [], port, holdFirst);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>Polls until <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, double timeoutSeconds = 60)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds); Requests.Count < count; await Task.Delay(50))
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Requests.Count} of {count} webhook requests arrived in {timeoutSeconds} s");
        return [.. Requests];
    }

    public async ValueTask DisposeAsync()
    {
        held.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
