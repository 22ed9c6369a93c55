using Npgsql;

namespace Svi.Server.Jobs;

/// <summary>
/// Which generation a <c>gpu</c> job renders, so that keys take turns. Every accepted generation still gets its own
/// Hangfire job in its create's transaction (nothing accepted is ever without one), but a job is a turn on a worker,
/// not a promise to render one generation: when it starts it takes the queued generation of the key that is served
/// least (fewest running, then the longest since its last start, then the oldest request), and swaps job ids with it.
/// <c>generations.job_id</c> therefore always names the job that will render, or renders, that generation, which is
/// what cancel, delete and the recovery sweeps rely on. A key with 50 queued generations thus delays another key's first
/// one by at most the renders already running, one per worker.
/// </summary>
public sealed class FairQueue(NpgsqlDataSource db)
{
    private const int PickLock = 0x5346; // "SF": picks are serialised, so two workers never take the same generation

    /// <summary>
    /// The generation the job <paramref name="jobId"/> renders now: the one it already renders (a retry after a lost
    /// worker resumes it), else the fairest queued one, bound to this job. Null: its generation is finished, cancelled or
    /// deleted, and this job has nothing to do.
    /// </summary>
    public async Task<string?> TakeAsync(string jobId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, "SELECT pg_advisory_xact_lock(@lock)", ct, ("lock", PickLock));
        var (bound, status, cancelRequested) = await BoundAsync(conn, jobId, ct);
        if (bound is null || status != Storage.GenerationStatus.Queued || cancelRequested)
        {
            await tx.CommitAsync(ct);
            return bound;
        }
        var (next, nextJob) = await FairestAsync(conn, bound, ct);
        if (next != bound)
            await ExecuteAsync(conn, """
                UPDATE generations SET job_id = CASE id WHEN @bound THEN @next_job ELSE @job END WHERE id IN (@bound, @next)
                """, ct, ("bound", bound), ("next", next), ("job", jobId), ("next_job", nextJob));
        await tx.CommitAsync(ct);
        return next;
    }

    private static async Task<(string? Id, string? Status, bool CancelRequested)> BoundAsync(NpgsqlConnection conn, string jobId,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT id, status, cancel_requested FROM generations WHERE job_id = @job AND status IN ('queued', 'in_progress') FOR UPDATE", conn);
        cmd.Parameters.AddWithValue("job", jobId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetString(1), r.GetBoolean(2)) : (null, null, false);
    }

    // A candidate is this job's own generation or one whose job waits unfetched in the queue: a fetched job is a worker
    // that is about to pick (and is bound to its own generation until then), so swapping with it would leave it none.
    private static async Task<(string Id, string? JobId)> FairestAsync(NpgsqlConnection conn, string bound, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT g.id, g.job_id FROM generations g
            WHERE g.status = 'queued' AND NOT g.cancel_requested
              AND (g.id = @bound OR EXISTS (
                  SELECT 1 FROM hangfire.jobqueue q WHERE q.jobid::text = g.job_id AND q.queue = @queue AND q.fetchedat IS NULL))
            ORDER BY
                (SELECT count(*) FROM generations r WHERE r.owner = g.owner AND r.status = 'in_progress'),
                (SELECT max(r.started_at) FROM generations r WHERE r.owner = g.owner) NULLS FIRST,
                g.created_at, g.id
            LIMIT 1
            FOR UPDATE OF g
            """, conn);
        cmd.Parameters.AddWithValue("bound", bound);
        cmd.Parameters.AddWithValue("queue", GenerationJob.Queue);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct); // the bound generation itself always qualifies
        return (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1));
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
