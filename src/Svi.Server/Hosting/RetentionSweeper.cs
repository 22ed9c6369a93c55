using Microsoft.Extensions.Options;
using Svi.Server.Storage;

namespace Svi.Server.Hosting;

/// <summary>
/// Deletes the files of generations whose <c>expires_at</c> has passed and marks them so. Every API process runs
/// it; deleting is idempotent, so several sweeping at once is harmless.
/// </summary>
public sealed class RetentionSweeper(GenerationStore store, GenerationFiles files, IOptions<SviOptions> options,
    ILogger<RetentionSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes));
        do
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Retention sweep failed; retrying next tick"); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var expired = await store.ExpiredAsync(DateTimeOffset.UtcNow, ct);
        foreach (var id in expired)
        {
            files.Delete(id);
            await store.MarkAssetsDeletedAsync(id, ct);
            log.LogInformation("Deleted the expired files of generation {GenerationId}", id);
        }
        return expired.Count;
    }
}
