using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>
/// Something that must happen when a generation reaches its final status (a webhook to announce it, usage to meter),
/// run by <see cref="GenerationTransitions"/> inside the transaction that stores the status: both commit or neither.
/// </summary>
public interface IFinishedGenerationHandler
{
    Task OnFinishedAsync(GenerationRecord finished, CancellationToken ct);
}
