using Hangfire;
using Npgsql;

namespace Svi.Server.Jobs;

/// <summary>
/// Hangfire.PostgreSql's distributed locks are rows in <c>hangfire.lock</c> that expire only after its lock timeout
/// (10 minutes). A process killed while holding one (a job's state lock, say) would stall whoever needs it next, and a
/// single-job worker stalls the whole queue with it. So every lock row is stamped with the PostgreSQL backend that
/// inserted it, and a row whose backend has gone (its process died and the connection closed) is deleted at once:
/// a live holder keeps its connection open for as long as it holds the lock.
/// </summary>
public sealed class HangfireLocks(NpgsqlDataSource db, JobStorage storage)
{
    private const long InstallLockKey = 0x5356_4900_0002; // "SVI" + 2

    /// <summary>Adds the owner columns and the trigger that fills them, once; Hangfire's inserts name their columns, so they are unaffected.</summary>
    public async Task InstallOwnerStampAsync(CancellationToken ct)
    {
        // Hangfire creates its schema when its storage is built; this is that storage.
        GC.KeepAlive(storage);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({InstallLockKey})", ct);
        await using (var check = new NpgsqlCommand(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'svi_lock_owner' AND tgrelid = 'hangfire.lock'::regclass", conn, tx))
            if (Convert.ToInt64(await check.ExecuteScalarAsync(ct)) > 0) return;
        await ExecuteAsync(conn, tx, """
            ALTER TABLE hangfire.lock ADD COLUMN IF NOT EXISTS svi_owner_pid int, ADD COLUMN IF NOT EXISTS svi_owner_since timestamptz;
            CREATE OR REPLACE FUNCTION hangfire.svi_stamp_lock_owner() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.svi_owner_pid := pg_backend_pid();
                NEW.svi_owner_since := (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid());
                RETURN NEW;
            END $$;
            CREATE TRIGGER svi_lock_owner BEFORE INSERT ON hangfire.lock FOR EACH ROW EXECUTE FUNCTION hangfire.svi_stamp_lock_owner();
            """, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes the locks whose owning backend is gone. A backend whose start time this role may not read counts as
    /// alive: only a lock we can prove dead is taken away.
    /// </summary>
    public async Task<int> ClearDeadAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            DELETE FROM hangfire.lock l
            WHERE l.svi_owner_pid IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM pg_stat_activity a
                WHERE a.pid = l.svi_owner_pid AND (a.backend_start IS NULL OR a.backend_start = l.svi_owner_since))
            """);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
