using Npgsql;

namespace Svi.Server.Jobs;

/// <summary>
/// The PostgreSQL session-level advisory lock a worker holds on a generation for as long as it renders it. It marks
/// the generation as taken (a second delivery of its job does nothing) and proves its holder alive: the lock dies
/// with the holder's connection, so a killed worker's generations are free at once (see <see cref="DeadWorkerJobs"/>).
/// </summary>
public sealed class GenerationLock : IAsyncDisposable
{
    /// <summary>
    /// The lock's key in SQL, from a generation id column: its first 16 hex digits after <c>video_</c>, as the bigint
    /// <see cref="Key"/> computes.
    /// </summary>
    public static string KeySql(string idColumn) => $"('x' || substr({idColumn}, 7, 16))::bit(64)::bigint";

    /// <summary>Whether a session holds the lock: pg_locks shows a bigint key as its high and low 32 bits, objsubid 1.</summary>
    public static string HeldSql(string keySql) => $"""
        EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND l.classid::bigint = (({keySql}) >> 32) & 4294967295 AND l.objid::bigint = ({keySql}) & 4294967295)
        """;

    public static long Key(string generationId) => Convert.ToInt64(generationId["video_".Length..][..16], 16);

    private readonly NpgsqlConnection connection;
    private readonly long key;

    private GenerationLock(NpgsqlConnection connection, long key) => (this.connection, this.key) = (connection, key);

    /// <summary>The lock, or null when another session holds it.</summary>
    public static async Task<GenerationLock?> TryTakeAsync(NpgsqlDataSource db, string generationId, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            cmd.Parameters.AddWithValue("key", Key(generationId));
            if (await cmd.ExecuteScalarAsync(ct) is true) return new GenerationLock(connection, Key(generationId));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    // Released explicitly: a pooled connection resets its session only when it is next used, so closing alone would
    // leave the lock held by an idle connection in the pool.
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            cmd.Parameters.AddWithValue("key", key);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection has lost its session, and the lock with it.
        }
        await connection.DisposeAsync();
    }
}
