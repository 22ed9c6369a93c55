using Npgsql;
using NpgsqlTypes;

namespace Svi.Server.Storage;

/// <summary>
/// The <c>generations</c> table. Every state change is one conditional UPDATE, so the API and workers in other
/// processes never overwrite each other's transitions (a cancelled job cannot be marked completed, and so on).
/// </summary>
public sealed class GenerationStore(NpgsqlDataSource db)
{
    public async Task<GenerationRecord> InsertAsync(GenerationRecord r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO generations (id, owner, surface, status, spec, spec_version, seconds_text, clips_total, idempotency_key,
                request_hash, remixed_from, extended_from, created_at, webhook_url)
            VALUES (@id, @owner, @surface, @status, @spec, @spec_version, @seconds, @clips_total, @idem, @hash, @remixed_from,
                @extended_from, @created_at, @webhook_url)
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", r.Id); p.AddWithValue("owner", r.Owner); p.AddWithValue("surface", r.Surface);
        p.AddWithValue("status", r.Status);
        p.Add(new NpgsqlParameter("spec", NpgsqlDbType.Jsonb) { Value = SpecJson.Text(r.Spec) });
        p.AddWithValue("spec_version", SpecJson.Version); p.AddWithValue("seconds", r.SecondsText);
        p.AddWithValue("clips_total", r.ClipsTotal);
        p.AddWithValue("idem", (object?)r.IdempotencyKey ?? DBNull.Value);
        p.AddWithValue("hash", (object?)r.RequestHash ?? DBNull.Value);
        p.AddWithValue("remixed_from", (object?)r.RemixedFrom ?? DBNull.Value);
        p.AddWithValue("extended_from", (object?)r.ExtendedFrom ?? DBNull.Value);
        p.AddWithValue("created_at", r.CreatedAt);
        p.AddWithValue("webhook_url", (object?)r.WebhookUrl ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
        return r;
    }

    /// <summary>The live generation created earlier with this idempotency key, if any (keys last 24 h before <paramref name="now"/>).</summary>
    public async Task<GenerationRecord?> FindByIdempotencyKeyAsync(string owner, string key, DateTimeOffset now, CancellationToken ct)
    {
        await using (var expire = db.CreateCommand(
            "UPDATE generations SET idempotency_key = NULL WHERE owner = @owner AND idempotency_key = @key AND created_at < @now - interval '24 hours'"))
        {
            expire.Parameters.AddWithValue("owner", owner); expire.Parameters.AddWithValue("key", key); expire.Parameters.AddWithValue("now", now);
            await expire.ExecuteNonQueryAsync(ct);
        }
        return await QuerySingleAsync("SELECT * FROM generations WHERE owner = @owner AND idempotency_key = @key", ct,
            ("owner", owner), ("key", key));
    }

    public Task<GenerationRecord?> GetAsync(string id, string owner, CancellationToken ct) =>
        QuerySingleAsync("SELECT * FROM generations WHERE id = @id AND owner = @owner", ct, ("id", id), ("owner", owner));

    public Task<GenerationRecord?> GetAsync(string id, CancellationToken ct) =>
        QuerySingleAsync("SELECT * FROM generations WHERE id = @id", ct, ("id", id));

    /// <summary>A page in (created_at, id) order after the cursor generation; one extra row tells whether more follow.</summary>
    public async Task<(IReadOnlyList<GenerationRecord> Page, bool HasMore)> ListAsync(
        string owner, GenerationRecord? after, int limit, bool ascending, CancellationToken ct)
    {
        var page = new KeysetPage(limit, ascending, after is null ? null : (after.CreatedAt, after.Id));
        await using var cmd = db.CreateCommand($"SELECT * FROM generations WHERE owner = @owner {page.AfterCursor} {page.OrderAndLimit}");
        cmd.Parameters.AddWithValue("owner", owner);
        page.Bind(cmd.Parameters);
        return page.Cut(await ReadAllAsync(cmd, ct));
    }

    // A generation that should run but whose Hangfire job is gone: never enqueued, or deleted after a failure outside
    // the job's own handling. A job keeps its jobqueue row from enqueue until it finishes, fetched or not.
    private const string Orphaned = """
        status IN ('queued', 'in_progress')
        AND (job_id IS NULL OR NOT EXISTS (SELECT 1 FROM hangfire.jobqueue q WHERE q.jobid::text = generations.job_id))
        """;

    /// <summary>Generations that wait for a job that no longer exists (oldest first, at most 100).</summary>
    public async Task<IReadOnlyList<string>> OrphansAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT id FROM generations WHERE {Orphaned} ORDER BY created_at LIMIT 100");
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Locks the generation's row for the current transaction if it is still an orphan and no one else holds it.</summary>
    public async Task<bool> LockOrphanAsync(string id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT 1 FROM generations WHERE id = @id AND {Orphaned} FOR UPDATE SKIP LOCKED");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public Task SetJobIdAsync(string id, string jobId, CancellationToken ct) =>
        ExecuteAsync("UPDATE generations SET job_id = @job WHERE id = @id", ct, ("id", id), ("job", jobId));

    /// <summary>Claims the generation for a run (a first run or a retry after a lost worker). Null: nothing to run.</summary>
    /// <param name="weights">what the worker renders with (files or random), recorded so the generation says so</param>
    public Task<GenerationRecord?> TryStartAsync(string id, string weights, CancellationToken ct) => QuerySingleAsync("""
        UPDATE generations SET status = 'in_progress', attempts = attempts + 1, started_at = coalesce(started_at, now()),
            weights = CASE WHEN weights = 'random' THEN weights ELSE @weights END
        WHERE id = @id AND status IN ('queued', 'in_progress') AND NOT cancel_requested RETURNING *
        """, ct, ("id", id), ("weights", weights));

    /// <summary>Persists progress; returns false when the run should stop (cancel requested, or the generation deleted).</summary>
    public async Task<bool> ReportProgressAsync(string id, GenerationProgress at, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE generations SET progress = greatest(progress, @progress), clip = @clip, clips_total = @total,
                clips_completed = @completed, stage = @stage
            WHERE id = @id AND status = 'in_progress' RETURNING cancel_requested
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", id); p.AddWithValue("progress", at.Percent); p.AddWithValue("clip", at.Clip); p.AddWithValue("total", at.ClipsTotal);
        p.AddWithValue("completed", at.ClipsCompleted); p.AddWithValue("stage", (object?)at.Stage ?? DBNull.Value);
        return await cmd.ExecuteScalarAsync(ct) is false;
    }

    public Task<GenerationRecord?> CompleteAsync(string id, int frames, string mode, DateTimeOffset expiresAt, CancellationToken ct) =>
        QuerySingleAsync("""
            UPDATE generations SET status = 'completed', progress = 100, frames = @frames, mode = @mode,
                clips_completed = clips_total, stage = NULL, completed_at = now(), expires_at = @expires
            WHERE id = @id AND status = 'in_progress' RETURNING *
            """, ct, ("id", id), ("frames", frames), ("mode", mode), ("expires", expiresAt));

    public Task<GenerationRecord?> FailAsync(string id, string status, string code, string message, DateTimeOffset expiresAt, CancellationToken ct) =>
        QuerySingleAsync("""
            UPDATE generations SET status = @status, error_code = @code, error_message = @message,
                stage = NULL, completed_at = now(), expires_at = @expires
            WHERE id = @id AND status IN ('queued', 'in_progress') RETURNING *
            """, ct, ("id", id), ("status", status), ("code", code), ("message", message), ("expires", expiresAt));

    /// <summary>A queued generation is cancelled at once; a running one is asked to stop at its next step.</summary>
    public Task<GenerationRecord?> RequestCancelAsync(string id, string owner, DateTimeOffset expiresAt, CancellationToken ct) =>
        QuerySingleAsync("""
            UPDATE generations SET
                cancel_requested = true,
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                error_code = CASE WHEN status = 'queued' THEN 'cancelled' ELSE error_code END,
                error_message = CASE WHEN status = 'queued' THEN 'The generation was cancelled before it started.' ELSE error_message END,
                completed_at = CASE WHEN status = 'queued' THEN now() ELSE completed_at END,
                expires_at = CASE WHEN status = 'queued' THEN @expires ELSE expires_at END
            WHERE id = @id AND owner = @owner AND status IN ('queued', 'in_progress') RETURNING *
            """, ct, ("id", id), ("owner", owner), ("expires", expiresAt));

    public async Task<bool> DeleteAsync(string id, string owner, CancellationToken ct) =>
        await ExecuteAsync("DELETE FROM generations WHERE id = @id AND owner = @owner", ct, ("id", id), ("owner", owner)) > 0;

    public async Task<IReadOnlyList<string>> ExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT id FROM generations WHERE NOT assets_deleted AND expires_at IS NOT NULL AND expires_at <= @now LIMIT 500");
        cmd.Parameters.AddWithValue("now", now);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Which of these ids have a record.</summary>
    public async Task<IReadOnlySet<string>> ExistingAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM generations WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var found = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetString(0));
        return found;
    }

    public Task MarkAssetsDeletedAsync(string id, CancellationToken ct) =>
        ExecuteAsync("UPDATE generations SET assets_deleted = true WHERE id = @id", ct, ("id", id));

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1");
        return await cmd.ExecuteScalarAsync(ct) is 1;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<GenerationRecord?> QuerySingleAsync(string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        var rows = await ReadAllAsync(cmd, ct);
        return rows.Count > 0 ? rows[0] : null;
    }

    private static async Task<List<GenerationRecord>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var rows = new List<GenerationRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows.Add(Map(r));
        return rows;
    }

    private static GenerationRecord Map(NpgsqlDataReader r)
    {
        T? Get<T>(string column) => r.IsDBNull(r.GetOrdinal(column)) ? default : r.GetFieldValue<T>(r.GetOrdinal(column));
        return new GenerationRecord
        {
            Id = Get<string>("id")!,
            Owner = Get<string>("owner")!,
            Surface = Get<string>("surface")!,
            Status = Get<string>("status")!,
            Spec = SpecJson.Read(Get<int>("spec_version"), Get<string>("spec")!),
            SecondsText = Get<string>("seconds_text")!,
            Progress = Get<double>("progress"),
            Clip = Get<int>("clip"),
            ClipsTotal = Get<int>("clips_total"),
            ClipsCompleted = Get<int>("clips_completed"),
            Stage = Get<string>("stage"),
            ErrorCode = Get<string>("error_code"),
            ErrorMessage = Get<string>("error_message"),
            CancelRequested = Get<bool>("cancel_requested"),
            Attempts = Get<int>("attempts"),
            JobId = Get<string>("job_id"),
            IdempotencyKey = Get<string>("idempotency_key"),
            RequestHash = Get<string>("request_hash"),
            Mode = Get<string>("mode"),
            Frames = Get<int?>("frames"),
            RemixedFrom = Get<string>("remixed_from"),
            ExtendedFrom = Get<string>("extended_from"),
            Weights = Get<string>("weights"),
            CreatedAt = Get<DateTimeOffset>("created_at"),
            StartedAt = Get<DateTimeOffset?>("started_at"),
            CompletedAt = Get<DateTimeOffset?>("completed_at"),
            ExpiresAt = Get<DateTimeOffset?>("expires_at"),
            AssetsDeleted = Get<bool>("assets_deleted"),
            WebhookUrl = Get<string>("webhook_url"),
        };
    }
}
