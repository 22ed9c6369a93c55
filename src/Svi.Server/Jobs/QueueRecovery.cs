using Microsoft.Extensions.Options;
using Serilog.Context;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>
/// Repairs what a killed process leaves behind, at start and then every <c>Svi:Jobs:RecoverySweepSeconds</c>: Hangfire
/// locks held by connections that are gone, jobs fetched by workers that are gone (<see cref="DeadWorkerJobs"/>), and
/// unfinished generations whose job no longer exists (they get a new one; the job resumes or finishes them). Every
/// process runs it; row locks keep two sweepers from doubling a job.
/// </summary>
public sealed class QueueRecovery(GenerationStore store, GenerationQueue queue, HangfireLocks locks, DeadWorkerJobs deadWorkers,
    IOptions<SviOptions> options, ILogger<QueueRecovery> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await locks.InstallOwnerStampAsync(cancellationToken);
        await SweepAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Jobs.RecoverySweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Queue recovery sweep failed; retrying next tick");
            }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        int cleared = await locks.ClearDeadAsync(ct);
        if (cleared > 0) log.LogWarning("Cleared {Count} Hangfire lock(s) whose holder's connection is gone", cleared);
        foreach (var id in await deadWorkers.ReleaseAsync(ct))
        {
            using var _ = LogContext.PushProperty("GenerationId", id);
            log.LogWarning("Generation {GenerationId}'s job was fetched by a worker that is gone; it is queued again", id);
        }
        foreach (var id in await store.OrphansAsync(ct))
        {
            if (await queue.RequeueOrphanAsync(id, ct) is not { } jobId) continue;
            using var _ = LogContext.PushProperty("GenerationId", id);
            log.LogWarning("Generation {GenerationId} had no job to run it; queued again as job {JobId}", id, jobId);
        }
    }
}
