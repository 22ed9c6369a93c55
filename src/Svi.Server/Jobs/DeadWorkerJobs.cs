using Npgsql;

namespace Svi.Server.Jobs;

/// <summary>
/// Hands back the jobs that a killed worker had fetched. Hangfire hides a fetched job until its invisibility timeout
/// passes (minutes, since a live worker must never lose its job to another), so a job whose worker died would wait that
/// long. But a worker rendering a generation holds its <see cref="GenerationLock"/>: a fetched job whose unfinished
/// generation nobody holds, once its worker has had time to take the lock, belongs to a dead worker and is made
/// visible again at once.
/// </summary>
public sealed class DeadWorkerJobs(NpgsqlDataSource db)
{
    /// <summary>
    /// How long a fetched job may wait for its worker to take the lock: Hangfire moves the job to Processing and our
    /// job takes the lock as it starts, milliseconds on an idle machine. A wrong guess on a stalled machine costs a
    /// second delivery, which finds the lock held or the generation finished and does nothing.
    /// </summary>
    public static readonly TimeSpan LockGrace = TimeSpan.FromSeconds(15);

    /// <summary>Makes the jobs of dead workers fetchable again; returns their generation ids.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct)
    {
        // Only the row as it was read is released: Hangfire's keep-alive and removal match on fetchedat too.
        await using var cmd = db.CreateCommand($"""
            WITH dead AS (
                SELECT q.id, q.fetchedat, g.id AS generation
                FROM hangfire.jobqueue q JOIN generations g ON g.job_id = q.jobid::text
                WHERE q.fetchedat IS NOT NULL AND q.fetchedat < now() - @grace
                  AND g.status IN ('queued', 'in_progress')
                  AND NOT {GenerationLock.HeldSql(GenerationLock.KeySql("g.id"))}
                FOR UPDATE OF q SKIP LOCKED)
            UPDATE hangfire.jobqueue q SET fetchedat = NULL FROM dead
            WHERE q.id = dead.id AND q.fetchedat = dead.fetchedat
            RETURNING dead.generation
            """);
        cmd.Parameters.AddWithValue("grace", LockGrace);
        var released = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) released.Add(reader.GetString(0));
        return released;
    }
}
