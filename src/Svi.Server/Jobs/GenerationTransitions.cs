using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>
/// Stores a generation's move to a final status together with what follows from it (<see cref="IFinishedGenerationHandler"/>),
/// in one PostgreSQL transaction, so a process killed at any moment leaves both or neither: no completed job without
/// its webhook delivery queued, no usage counted for a job that did not end.
/// </summary>
public sealed class GenerationTransitions(IEnumerable<IFinishedGenerationHandler> handlers)
{
    private readonly IFinishedGenerationHandler[] handlers = [.. handlers];

    /// <summary>Runs <paramref name="change"/> (a conditional UPDATE); when it returns a final record, the handlers run too.</summary>
    public async Task<GenerationRecord?> ApplyAsync(Func<CancellationToken, Task<GenerationRecord?>> change, CancellationToken ct)
    {
        using var transaction = GenerationQueue.Begin();
        var record = await change(ct);
        if (record is { IsTerminal: true })
            foreach (var handler in handlers) await handler.OnFinishedAsync(record, ct);
        transaction.Complete();
        return record;
    }
}
