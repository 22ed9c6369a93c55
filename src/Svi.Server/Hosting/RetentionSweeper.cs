using Microsoft.Extensions.Options;
using Svi.Server.Storage;

namespace Svi.Server.Hosting;

/// <summary>
/// Deletes the files of generations whose <c>expires_at</c> has passed and marks them so, and the folders no record
/// names (a process killed after writing a create's files and before committing its record) once they are an hour
/// old. Every API process runs it; deleting is idempotent, so several sweeping at once is harmless.
/// </summary>
public sealed class RetentionSweeper(GenerationStore store, GenerationFiles files, IOptions<SviOptions> options,
    [FromKeyedServices(SviHost.ClockKey)] TimeProvider clock, ILogger<RetentionSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes), clock);
        do
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Retention sweep failed; retrying next tick"); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Raised after each sweep with the time it swept at (tests wait for it instead of for the clock).</summary>
    internal event Action<DateTimeOffset>? Swept;

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        // Finding them only reads; every folder goes before any record is marked, so on a full disk, where PostgreSQL
        // may refuse the marks, the space is freed all the same (the marks are written on a later sweep).
        var now = clock.GetUtcNow();
        var expired = await store.ExpiredAsync(now, ct);
        foreach (var id in expired) files.Delete(id);
        foreach (var id in expired)
        {
            await store.MarkAssetsDeletedAsync(id, ct);
            log.LogInformation("Deleted the expired files of generation {GenerationId}", id);
        }
        // Folder times are the file system's, so they are compared with the real clock.
        var old = files.FolderIdsOlderThan(DateTime.UtcNow - StrayAge);
        if (old.Count > 0)
        {
            var recorded = await store.ExistingAsync(old, ct);
            foreach (var id in old.Where(id => !recorded.Contains(id)))
            {
                files.Delete(id);
                log.LogWarning("Deleted the files of {GenerationId}, which no generation record names", id);
            }
        }
        Swept?.Invoke(now);
        return expired.Count;
    }

    // Far longer than any create takes between writing its files and committing its record.
    private static readonly TimeSpan StrayAge = TimeSpan.FromHours(1);
}
