using Prometheus;

namespace Svi.Server.Observability;

/// <summary>
/// A worker started alone (<c>./svi worker</c>) has no HTTP API, yet renders, times clips and watches its GPU. With
/// <c>Svi:Metrics:WorkerPort</c> set it serves <c>/metrics</c> on that port so Prometheus can scrape it; 0 (the
/// default) serves nothing.
/// </summary>
public sealed class WorkerMetricsEndpoint(IConfiguration configuration, ILogger<WorkerMetricsEndpoint> log) : IHostedService
{
    public const string PortKey = "Svi:Metrics:WorkerPort";
    private KestrelMetricServer? server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        int port = configuration.GetValue<int?>(PortKey) ?? 0;
        if (port is < 0 or > 65535) throw new InvalidOperationException($"{PortKey} must be a TCP port (1-65535) or 0 for none; got {port}.");
        if (port == 0) return Task.CompletedTask;
        server = new KestrelMetricServer(port);
        server.Start();
        log.LogInformation("Worker metrics on port {Port} at /metrics", port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null) await server.StopAsync();
    }
}
