using Microsoft.Extensions.Options;
using Npgsql;

namespace Svi.Server.Webhooks;

/// <summary>
/// Hands back delivery jobs that a killed process had fetched. An attempt lasts at most <c>Svi:Webhooks:TimeoutSeconds</c>,
/// so a <c>webhooks</c> job still fetched well after that has lost its process; without this it would wait for
/// Hangfire's invisibility timeout (minutes). Releasing a live one by mistake costs one repeated attempt with the same
/// <c>webhook-id</c>, which receivers drop.
/// </summary>
public sealed class WebhookRecovery(NpgsqlDataSource db, IOptions<WebhookOptions> options, ILogger<WebhookRecovery> log) : BackgroundService
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SchedulePollSeconds));
        do
        {
            try
            {
                int released = await ReleaseAsync(stoppingToken);
                if (released > 0) log.LogWarning("{Count} webhook delivery job(s) fetched by a process that is gone were queued again", released);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Webhook recovery sweep failed; retrying next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ReleaseAsync(CancellationToken ct)
    {
        // Only the row as it was read is released: Hangfire's keep-alive and removal match on fetchedat too.
        await using var cmd = db.CreateCommand("""
            UPDATE hangfire.jobqueue SET fetchedat = NULL
            WHERE queue = @queue AND fetchedat IS NOT NULL AND fetchedat < now() - @stale
            """);
        cmd.Parameters.AddWithValue("queue", WebhookDeliveryJob.Queue);
        cmd.Parameters.AddWithValue("stale", TimeSpan.FromSeconds(options.Value.TimeoutSeconds) + Grace);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
