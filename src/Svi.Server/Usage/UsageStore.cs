using Npgsql;

namespace Svi.Server.Usage;

/// <summary>The <c>usage_records</c> table: one row per finished job, summed per key, day or resolution on request.</summary>
public sealed class UsageStore(NpgsqlDataSource db)
{
    /// <summary>False when the job's usage is already recorded (a final status is stored once; this is the guard).</summary>
    public async Task<bool> InsertAsync(UsageRecord u, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO usage_records (generation_id, owner, status, seconds, clips, resolution, mode, recipe, fps, gpu_seconds, finished_at)
            VALUES (@id, @owner, @status, @seconds, @clips, @resolution, @mode, @recipe, @fps, @gpu, @finished)
            ON CONFLICT (generation_id) DO NOTHING
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", u.GenerationId); p.AddWithValue("owner", u.Owner); p.AddWithValue("status", u.Status);
        p.AddWithValue("seconds", u.Seconds); p.AddWithValue("clips", u.Clips); p.AddWithValue("resolution", u.Resolution);
        p.AddWithValue("mode", u.Mode); p.AddWithValue("recipe", u.Recipe); p.AddWithValue("fps", u.Fps);
        p.AddWithValue("gpu", u.GpuSeconds); p.AddWithValue("finished", u.FinishedAt);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>A sum over the jobs that finished in [start, end) that share a group, a resolution and a mode.</summary>
    public sealed record Sum(string Group, string Resolution, string Mode, long Jobs, long Completed, long Failed, long Cancelled,
        double Seconds, long Clips, double GpuSeconds);

    public async Task<IReadOnlyList<Sum>> SumAsync(UsageGrouping groupBy, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        string group = groupBy switch
        {
            UsageGrouping.Key => "owner",
            UsageGrouping.Day => "to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            _ => "resolution",
        };
        await using var cmd = db.CreateCommand($"""
            SELECT {group}, resolution, mode, count(*),
                count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),
                count(*) FILTER (WHERE status = 'cancelled'), sum(seconds), sum(clips), sum(gpu_seconds)
            FROM usage_records WHERE finished_at >= @start AND finished_at < @end
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """);
        cmd.Parameters.AddWithValue("start", start);
        cmd.Parameters.AddWithValue("end", end);
        var sums = new List<Sum>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            sums.Add(new Sum(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
                r.GetInt64(6), r.GetDouble(7), r.GetInt64(8), r.GetDouble(9)));
        return sums;
    }
}
