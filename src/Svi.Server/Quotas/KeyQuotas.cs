using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Quotas;

/// <summary>
/// Admits a new generation only while its key is under its caps (<see cref="QuotaOptions"/>); otherwise 429 with
/// <c>Retry-After</c>. Runs inside the create's transaction, after a lock per key, so concurrent creates of one key
/// cannot both take the last slot, and a refused create stores nothing.
/// </summary>
public sealed class KeyQuotas(NpgsqlDataSource db, IOptions<QuotaOptions> options)
{
    private const int LockSpace = 0x5351; // "SQ": these advisory locks' first key

    public async Task AdmitAsync(GenerationRecord record, CancellationToken ct)
    {
        var quotas = options.Value;
        if (quotas.MaxActiveJobsPerKey <= 0 && quotas.MaxSecondsPerKeyPerDay <= 0) return;
        await using (var lockKey = db.CreateCommand("SELECT pg_advisory_xact_lock(@space, hashtext(@owner))"))
        {
            lockKey.Parameters.AddWithValue("space", LockSpace);
            lockKey.Parameters.AddWithValue("owner", record.Owner);
            await lockKey.ExecuteNonQueryAsync(ct);
        }
        var dayStart = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        await using var cmd = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE status IN ('queued', 'in_progress')),
                coalesce(sum((spec->>'duration')::double precision) FILTER (WHERE created_at >= @day AND status NOT IN ('failed', 'cancelled')), 0)
            FROM generations WHERE owner = @owner
            """);
        cmd.Parameters.AddWithValue("owner", record.Owner);
        cmd.Parameters.AddWithValue("day", dayStart);
        long active;
        double secondsToday;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            active = r.GetInt64(0);
            secondsToday = r.GetDouble(1);
        }
        if (quotas.MaxActiveJobsPerKey > 0 && active >= quotas.MaxActiveJobsPerKey)
            throw Refused($"This API key already has {active} generations queued or running; the limit is {quotas.MaxActiveJobsPerKey} " +
                "(Svi:Quotas:MaxActiveJobsPerKey). Retry when one of them has finished.", "requests", quotas.ActiveJobsRetryAfterSeconds);
        if (quotas.MaxSecondsPerKeyPerDay > 0 && secondsToday + record.Spec.DurationSeconds > quotas.MaxSecondsPerKeyPerDay)
            throw Refused($"This API key has asked for {Format(secondsToday)} s of video today (UTC); {Format(record.Spec.DurationSeconds)} s more " +
                $"would pass the limit of {Format(quotas.MaxSecondsPerKeyPerDay)} s per day (Svi:Quotas:MaxSecondsPerKeyPerDay).",
                "seconds", (int)Math.Ceiling((dayStart.AddDays(1) - DateTimeOffset.UtcNow).TotalSeconds));
    }

    private static ApiException Refused(string message, string type, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, message, null, "rate_limit_exceeded", type) { RetryAfterSeconds = retryAfterSeconds };

    private static string Format(double seconds) => seconds.ToString("0.##", CultureInfo.InvariantCulture);
}
