using Npgsql;

namespace Svi.Server.Storage;

/// <summary>
/// The schema of our own tables, as numbered steps applied once each at start. An advisory lock serialises
/// processes that start together (API and workers share the database).
/// </summary>
public static class Migrations
{
    private const long LockKey = 0x5356_4900_0001; // "SVI" + 1

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE generations (
            id               text PRIMARY KEY,
            owner            text NOT NULL,
            surface          text NOT NULL,
            status           text NOT NULL,
            model            text NOT NULL,
            prompts          jsonb NOT NULL,
            negative_prompt  text NOT NULL,
            width            int NOT NULL,
            height           int NOT NULL,
            duration_seconds double precision NOT NULL,
            seconds_text     text NOT NULL,
            cfg              double precision NOT NULL,
            seed             bigint NOT NULL,
            t2v_quality      text NOT NULL,
            has_image        boolean NOT NULL,
            progress         double precision NOT NULL DEFAULT 0,
            clip             int NOT NULL DEFAULT 0,
            clips_total      int NOT NULL,
            error_code       text,
            error_message    text,
            cancel_requested boolean NOT NULL DEFAULT false,
            attempts         int NOT NULL DEFAULT 0,
            job_id           text,
            idempotency_key  text,
            request_hash     text,
            mode             text,
            frames           int,
            remixed_from     text,
            created_at       timestamptz NOT NULL,
            started_at       timestamptz,
            completed_at     timestamptz,
            expires_at       timestamptz,
            assets_deleted   boolean NOT NULL DEFAULT false
        );
        CREATE INDEX generations_owner_created ON generations (owner, created_at, id);
        CREATE UNIQUE INDEX generations_idempotency ON generations (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX generations_expiry ON generations (expires_at) WHERE NOT assets_deleted;
        """,
        """
        ALTER TABLE generations ADD COLUMN extended_from text;
        """,
        // The recovery sweep looks for unfinished generations every few seconds.
        """
        CREATE INDEX generations_unfinished ON generations (created_at) WHERE status IN ('queued', 'in_progress');
        """,
        """
        ALTER TABLE generations ADD COLUMN weights text;
        """,
        // Rows from before recipes were rendered with the official 50-step sampling.
        """
        ALTER TABLE generations ADD COLUMN recipe text NOT NULL DEFAULT 'reference';
        ALTER TABLE generations ADD COLUMN steps int NOT NULL DEFAULT 50;
        """,
        // Rows from before frame interpolation were rendered at 16 fps.
        """
        ALTER TABLE generations ADD COLUMN fps int NOT NULL DEFAULT 16;
        """,
        // Clips finished as a count, and what a running job does now.
        """
        ALTER TABLE generations ADD COLUMN clips_completed int NOT NULL DEFAULT 0;
        ALTER TABLE generations ADD COLUMN stage text;
        UPDATE generations SET clips_completed = clips_total WHERE status = 'completed';
        """,
        // One home for a generation's request: the validated spec as JSONB (Storage/SpecJson.cs, version 1) beside the
        // columns queries need. Existing rows are converted in place, so every row reads through the same path.
        """
        ALTER TABLE generations ADD COLUMN spec jsonb, ADD COLUMN spec_version int;
        UPDATE generations SET spec_version = 1, spec = jsonb_build_object(
            'model', model, 'prompts', prompts, 'negative_prompt', negative_prompt, 'resolution', width || 'x' || height,
            'duration', duration_seconds, 'recipe', recipe, 'steps', steps, 'fps', fps, 'cfg', cfg, 'seed', seed,
            't2v_quality', t2v_quality, 'input_image', has_image, 'motion_latents', 1);
        ALTER TABLE generations ALTER COLUMN spec SET NOT NULL, ALTER COLUMN spec_version SET NOT NULL,
            DROP COLUMN model, DROP COLUMN prompts, DROP COLUMN negative_prompt, DROP COLUMN width, DROP COLUMN height,
            DROP COLUMN duration_seconds, DROP COLUMN recipe, DROP COLUMN steps, DROP COLUMN fps, DROP COLUMN cfg,
            DROP COLUMN seed, DROP COLUMN t2v_quality, DROP COLUMN has_image;
        """,
        // Webhooks (the request's own receiver, the delivery log) and usage metered per key when a job ends.
        """
        ALTER TABLE generations ADD COLUMN webhook_url text;
        CREATE TABLE webhook_deliveries (
            id               text PRIMARY KEY,
            event_id         text NOT NULL,
            event_type       text NOT NULL,
            owner            text NOT NULL,
            generation_id    text NOT NULL,
            url              text NOT NULL,
            secret_ref       text NOT NULL,
            payload          text NOT NULL,
            status           text NOT NULL,
            attempts         int NOT NULL DEFAULT 0,
            last_status_code int,
            last_error       text,
            created_at       timestamptz NOT NULL,
            last_attempt_at  timestamptz,
            next_attempt_at  timestamptz,
            delivered_at     timestamptz
        );
        CREATE INDEX webhook_deliveries_owner_created ON webhook_deliveries (owner, created_at, id);
        CREATE TABLE usage_records (
            generation_id text PRIMARY KEY,
            owner         text NOT NULL,
            status        text NOT NULL,
            seconds       double precision NOT NULL,
            clips         int NOT NULL,
            resolution    text NOT NULL,
            mode          text NOT NULL,
            recipe        text NOT NULL,
            fps           int NOT NULL,
            gpu_seconds   double precision NOT NULL,
            finished_at   timestamptz NOT NULL
        );
        CREATE INDEX usage_records_finished ON usage_records (finished_at);
        """,
    ];

    public static Task ApplyAsync(NpgsqlDataSource db, CancellationToken ct = default) => ApplyThroughAsync(db, Steps.Length, ct);

    /// <summary>The steps up to and including <paramref name="through"/>: a database as an older release left it.</summary>
    public static async Task ApplyThroughAsync(NpgsqlDataSource db, int through, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", conn)) await lockCmd.ExecuteNonQueryAsync(ct);
        try
        {
            await using (var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS svi_schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", conn))
                await create.ExecuteNonQueryAsync(ct);
            int current;
            await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM svi_schema_migrations", conn))
                current = Convert.ToInt32(await read.ExecuteScalarAsync(ct));
            for (int version = current + 1; version <= Math.Min(through, Steps.Length); version++)
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var step = new NpgsqlCommand(Steps[version - 1], conn, tx)) await step.ExecuteNonQueryAsync(ct);
                await using (var mark = new NpgsqlCommand("INSERT INTO svi_schema_migrations (version) VALUES (@v)", conn, tx))
                {
                    mark.Parameters.AddWithValue("v", version);
                    await mark.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", conn);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
