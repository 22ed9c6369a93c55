using Svi.Server.Jobs;
using Svi.Server.Storage;

namespace Svi.Server.Usage;

/// <summary>Records a finished job's usage for its key, in the transaction that stores its final status.</summary>
public sealed class UsageMeter(UsageStore store) : IFinishedGenerationHandler
{
    public async Task OnFinishedAsync(GenerationRecord finished, CancellationToken ct)
    {
        var usage = UsageRecord.Of(finished);
        if (await store.InsertAsync(usage, ct)) UsageMetrics.Delivered(usage);
    }
}
