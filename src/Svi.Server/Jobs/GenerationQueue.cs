using System.Transactions;
using Hangfire;
using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>Puts generations on the <c>gpu</c> queue that workers listen to.</summary>
public sealed class GenerationQueue(IBackgroundJobClient client, GenerationStore store, Quotas.KeyQuotas quotas)
{
    /// <summary>
    /// Stores a new generation and its job in one PostgreSQL transaction: after a crash at any point both exist or
    /// neither does, so no accepted generation is left without a job to run it.
    /// </summary>
    public async Task<GenerationRecord> AddAsync(GenerationRecord record, CancellationToken ct)
    {
        using var transaction = Begin();
        await quotas.AdmitAsync(record, ct);
        await store.InsertAsync(record, ct);
        // Hangfire opens its own connection; the pool gives it the one that holds this transaction.
        var jobId = Enqueue(record.Id);
        await store.SetJobIdAsync(record.Id, jobId, ct);
        transaction.Complete();
        return record with { JobId = jobId };
    }

    /// <summary>Gives a generation whose job was lost a new one, if it still has none when its row is locked.</summary>
    public async Task<string?> RequeueOrphanAsync(string generationId, CancellationToken ct)
    {
        using var transaction = Begin();
        if (!await store.LockOrphanAsync(generationId, ct)) return null;
        var jobId = Enqueue(generationId);
        await store.SetJobIdAsync(generationId, jobId, ct);
        transaction.Complete();
        return jobId;
    }

    // The queue overload stores the queue with the job itself, so a requeue or retry stays on "gpu"
    // (an EnqueuedState("gpu") would send retries to "default", where no worker listens).
    private string Enqueue(string generationId) =>
        client.Enqueue<GenerationJob>(GenerationJob.Queue, job => job.RunAsync(generationId, null, CancellationToken.None));

    /// <summary>A transaction that the record's commands and Hangfire's connection share (see <see cref="DatabasePool"/>).</summary>
    internal static TransactionScope Begin() => new(TransactionScopeOption.RequiresNew,
        new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted }, TransactionScopeAsyncFlowOption.Enabled);

    /// <summary>Drops a job that has not started; a running one is stopped through the record instead.</summary>
    public void Forget(string? jobId)
    {
        if (jobId is not null) client.Delete(jobId);
    }
}
