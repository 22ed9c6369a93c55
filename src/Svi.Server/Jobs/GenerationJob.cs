using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using Npgsql;
using Serilog.Context;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Inference.Runtime;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>
/// The Hangfire job that renders one generation on a worker: the one whose key's turn it is (<see cref="FairQueue"/>),
/// which need not be the one it was queued with. Hangfire delivers it at least once (a worker killed mid-job hands it
/// to the next worker once the invisibility timeout passes); the record's conditional updates and an advisory lock per
/// generation make every delivery after the first a resume or a no-op, never a second copy.
/// </summary>
public sealed class GenerationJob(
    GenerationStore store, GenerationFiles files, IVideoRenderer renderer, IModelInventory inventory, FairQueue turns,
    GenerationTransitions transitions, NpgsqlDataSource db, StorageGuard storage, IOptions<SviOptions> options,
    [FromKeyedServices(SviHost.ClockKey)] TimeProvider clock, ILogger<GenerationJob> log)
{
    public const string Queue = "gpu";

    // Failures are recorded on the generation; Hangfire's own retries would only repeat them.
    /// <param name="queuedWith">the generation this job was created for; it renders whichever generation has the turn</param>
    /// <param name="context">Hangfire's, for this job's id (<c>null</c> when enqueued; Hangfire fills it in)</param>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(string queuedWith, PerformContext? context, CancellationToken shutdown)
    {
        var generationId = context is null ? queuedWith : await turns.TakeAsync(context.BackgroundJob.Id, shutdown);
        if (generationId is null)
        {
            using (LogContext.PushProperty("GenerationId", queuedWith))
                log.LogInformation("Nothing to render: the generation is finished, cancelled or deleted");
            return;
        }
        using var _ = LogContext.PushProperty("GenerationId", generationId);
        var weights = inventory.Check();
        // The job's first line, before anything else it logs: nothing made from random weights may pass for a model's output.
        if (weights.IsRandom) log.LogWarning("{RandomWeights}", RandomModelInventory.Warning);
        await using var held = await GenerationLock.TryTakeAsync(db, generationId, shutdown);
        if (held is null)
        {
            log.LogWarning("Another worker is already rendering this generation; this delivery does nothing");
            return;
        }
        await storage.WaitForRoomAsync(generationId, shutdown);
        var record = await store.TryStartAsync(generationId, weights.Weights, shutdown);
        if (record is null)
        {
            // A cancel that arrived while the previous worker died has nobody left to honour it but us.
            if (await store.GetAsync(generationId, shutdown) is { Status: GenerationStatus.InProgress, CancelRequested: true })
                await FinishAsync(generationId, GenerationStatus.Cancelled, "cancelled", "The generation was cancelled.");
            log.LogInformation("Nothing to render: the generation is finished, cancelled or deleted");
            return;
        }
        if (record.Attempts > 1) log.LogWarning("Resuming after an interrupted run (attempt {Attempt})", record.Attempts);
        else log.LogInformation("Rendering {Seconds} s at {Width}x{Height}", record.Spec.DurationSeconds, record.Spec.Width, record.Spec.Height);

        if (MissingWeights(record) is { } missing)
        {
            await FinishAsync(record.Id, GenerationStatus.Failed, "weights_missing", missing);
            return;
        }

        var progress = new LatestProgress(record.ClipsTotal);
        var spec = record.Spec;
        string resolution = $"{spec.Width}x{spec.Height}";
        var timed = new TimedProgress(progress, SviModes.For(spec).Name(), resolution, spec.Recipe.Name());
        using var run = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var watch = WatchAsync(record.Id, progress, run);
        var started = DateTimeOffset.UtcNow;
        try
        {
            var job = new RenderJob(record.Id, spec, files.Directory(record.Id),
                Directory.Exists(files.ExtensionSource(record.Id)) ? files.ExtensionSource(record.Id) : null)
            {
                InputImage = spec.HasImage ? files.InputImage(record.Id) : null,
            };
            Directory.CreateDirectory(job.WorkDirectory);
            var result = await renderer.RenderAsync(job, timed, run.Token);
            timed.Completed();
            await StopAsync(run, watch);
            var done = await transitions.ApplyAsync(
                ct => store.CompleteAsync(record.Id, result.Frames, result.Mode, ExpiresAt(), ct), CancellationToken.None);
            JobMetrics.Finished(done is null ? "superseded" : GenerationStatus.Completed);
            if (done is not null) JobMetrics.Completed(result.Mode, resolution, spec.Recipe.Name(), DateTimeOffset.UtcNow - started);
            if (done is not null) log.LogInformation("Completed: {Frames} frames ({Mode}) in {Elapsed}", result.Frames, result.Mode, DateTimeOffset.UtcNow - started);
        }
        catch (OperationCanceledException) when (progress.StoppedByRequest)
        {
            var at = progress.Latest;
            log.LogInformation("Cancelled between steps: {StepsAfterRequest} step(s) finished after the request was seen, in clip {Clip} at {Progress:F1} %",
                progress.StepsAfterStop, at?.Clip ?? 0, (at?.Fraction ?? 0) * 100);
            await FinishAsync(record.Id, GenerationStatus.Cancelled, "cancelled", "The generation was cancelled.");
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            if (await store.GetAsync(record.Id, CancellationToken.None) is not { CancelRequested: false })
            {
                await FinishAsync(record.Id, GenerationStatus.Cancelled, "cancelled", "The generation was cancelled.");
                return;
            }
            // Rethrown so Hangfire puts the job back in the queue; the record stays in_progress and the next run resumes.
            log.LogWarning("Worker stopping mid-render; the generation goes back to the queue");
            throw;
        }
        catch (Exception e) when (StorageFull.Caused(e))
        {
            // Its files go first: that frees the space the failure needs recorded. No retry: the disk stays full.
            log.LogError(e, "Render failed: the disk is full");
            await FinishAsync(record.Id, GenerationStatus.Failed, StorageFull.Code, storage.ClearAfterFailure(record.Id));
        }
        catch (Svi.Inference.Weights.WeightsMissingException e)
        {
            await FinishAsync(record.Id, GenerationStatus.Failed, "weights_missing", e.Message);
        }
        catch (RenderFailedException e)
        {
            log.LogError(e, "Render failed ({Code})", e.Code);
            await FinishAsync(record.Id, GenerationStatus.Failed, e.Code, e.Message);
        }
        catch (Exception e)
        {
            log.LogError(e, "Render failed");
            await FinishAsync(record.Id, GenerationStatus.Failed, "render_failed", e.Message);
        }
        finally
        {
            await StopAsync(run, watch);
            // Deleted while rendering: remove whatever the renderer wrote after the API removed the folder.
            if (await store.GetAsync(record.Id, CancellationToken.None) is null) files.Delete(record.Id);
        }
    }

    /// <summary>
    /// Persists the renderer's latest progress every interval and turns a cancel request (or a deleted record) into
    /// cancellation of the render.
    /// </summary>
    private async Task WatchAsync(string id, LatestProgress progress, CancellationTokenSource run)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Jobs.ProgressIntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                bool keepGoing;
                try { keepGoing = await store.ReportProgressAsync(id, progress.Stored(), run.Token); }
                catch (NpgsqlException e)
                {
                    // A database blip must not fail a render that may have run for an hour; the next tick retries.
                    log.LogWarning(e, "Could not persist progress");
                    continue;
                }
                if (!keepGoing)
                {
                    progress.StoppedByRequest = true;
                    run.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task StopAsync(CancellationTokenSource run, Task watch)
    {
        if (watch.IsCompleted) return;
        run.Cancel();
        await watch;
    }

    // This generation's mode, recipe, resolution and fps decide, whatever the deployment's default request needs.
    private string? MissingWeights(GenerationRecord r) => inventory.Missing(SviModelChoice.For(r.Spec));

    private async Task FinishAsync(string id, string status, string code, string message)
    {
        if (code == "weights_missing") log.LogError("Cannot render: {Message}", message);
        var done = await transitions.ApplyAsync(ct => store.FailAsync(id, status, code, message, ExpiresAt(), ct), CancellationToken.None);
        JobMetrics.Finished(done is null ? "superseded" : status);
        if (done is not null && status == GenerationStatus.Failed) JobMetrics.Failed(code);
    }

    private DateTimeOffset ExpiresAt() => clock.GetUtcNow().AddHours(options.Value.RetentionHours);

    private sealed class LatestProgress(int plannedClips) : IProgress<RenderProgress>
    {
        private RenderProgress? latest;
        private volatile bool stoppedByRequest;
        private int stepsAfterStop;
        public bool StoppedByRequest { get => stoppedByRequest; set => stoppedByRequest = value; }
        public RenderProgress? Latest => Volatile.Read(ref latest);

        /// <summary>Below 100 % until the renderer says the MP4 is written, whatever the rounding.</summary>
        public GenerationProgress Stored() => Latest is { } p
            ? new(Math.Min(Math.Round(p.Fraction * 100, 2), p.Fraction < 1 ? 99.99 : 100), p.Clip, p.ClipsTotal, p.ClipsCompleted, p.Stage.Name())
            : new(0, 0, plannedClips, 0, null);

        /// <summary>Denoising steps that finished after the stop request was seen (the one in flight, at most).</summary>
        public int StepsAfterStop => Volatile.Read(ref stepsAfterStop);

        public void Report(RenderProgress value)
        {
            var previous = Volatile.Read(ref latest);
            if (stoppedByRequest && previous is not null && value.Stage == RenderStage.Denoising && value.Clip == previous.Clip
                && value.Fraction > previous.Fraction) Interlocked.Increment(ref stepsAfterStop);
            Volatile.Write(ref latest, value);
        }
    }
}
