using Hangfire;

namespace Svi.Server.Jobs;

/// <summary>Puts generations on the <c>gpu</c> queue that workers listen to.</summary>
public sealed class GenerationQueue(IBackgroundJobClient client)
{
    // The queue overload stores the queue with the job itself, so a requeue or retry stays on "gpu"
    // (an EnqueuedState("gpu") would send retries to "default", where no worker listens).
    public string Enqueue(string generationId) =>
        client.Enqueue<GenerationJob>(GenerationJob.Queue, job => job.RunAsync(generationId, CancellationToken.None));

    /// <summary>Drops a job that has not started; a running one is stopped through the record instead.</summary>
    public void Forget(string? jobId)
    {
        if (jobId is not null) client.Delete(jobId);
    }
}
