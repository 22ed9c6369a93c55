using Npgsql;
using Prometheus;
using Svi.Server.Storage;

namespace Svi.Server.Observability;

/// <summary>
/// <c>svi_generations{status}</c>: how many generations the database holds in each status, read when
/// <c>/metrics</c> is scraped. The database is the truth every API and worker process shares, so any API replica
/// reports the same queue; the queue depth is the <c>queued</c> series.
/// </summary>
public sealed class GenerationGauges(RequestDelegate next, NpgsqlDataSource db, ILogger<GenerationGauges> log)
{
    private static readonly string[] Statuses =
        [GenerationStatus.Queued, GenerationStatus.InProgress, GenerationStatus.Completed, GenerationStatus.Failed, GenerationStatus.Cancelled];

    private static readonly Gauge ByStatus = Metrics.CreateGauge(
        "svi_generations", "Generations in the database, by status (queued = the queue depth).", "status");

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var cmd = db.CreateCommand("SELECT status, count(*) FROM generations GROUP BY status"))
            await using (var reader = await cmd.ExecuteReaderAsync(context.RequestAborted))
                while (await reader.ReadAsync(context.RequestAborted)) counts[reader.GetString(0)] = reader.GetInt64(1);
            foreach (var status in Statuses) ByStatus.WithLabels(status).Set(counts.GetValueOrDefault(status));
        }
        catch (NpgsqlException e)
        {
            // The scrape still serves every other series; the gauges keep their last values.
            log.LogWarning(e, "Could not count generations for /metrics");
        }
        await next(context);
    }
}
