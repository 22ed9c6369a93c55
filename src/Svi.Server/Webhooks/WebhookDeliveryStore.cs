using Npgsql;
using Svi.Server.Storage;

namespace Svi.Server.Webhooks;

/// <summary>The <c>webhook_deliveries</c> table: the delivery log, and the state every retry starts from.</summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource db)
{
    public async Task InsertAsync(WebhookDelivery d, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO webhook_deliveries (id, event_id, event_type, owner, generation_id, url, secret_ref, payload, status, created_at)
            VALUES (@id, @event_id, @event_type, @owner, @generation_id, @url, @secret_ref, @payload, @status, @created_at)
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", d.Id); p.AddWithValue("event_id", d.EventId); p.AddWithValue("event_type", d.EventType);
        p.AddWithValue("owner", d.Owner); p.AddWithValue("generation_id", d.GenerationId); p.AddWithValue("url", d.Url);
        p.AddWithValue("secret_ref", d.SecretRef); p.AddWithValue("payload", d.Payload); p.AddWithValue("status", d.Status);
        p.AddWithValue("created_at", d.CreatedAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<WebhookDelivery?> GetAsync(string id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT * FROM webhook_deliveries WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        var rows = await ReadAllAsync(cmd, ct);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Stores an attempt's outcome, only while the delivery is still pending (a repeated job changes nothing).</summary>
    public async Task<bool> RecordAttemptAsync(WebhookDelivery d, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE webhook_deliveries SET status = @status, attempts = @attempts, last_status_code = @code, last_error = @error,
                last_attempt_at = @last_at, next_attempt_at = @next_at, delivered_at = @delivered_at
            WHERE id = @id AND status = 'pending'
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", d.Id); p.AddWithValue("status", d.Status); p.AddWithValue("attempts", d.Attempts);
        p.AddWithValue("code", (object?)d.LastStatusCode ?? DBNull.Value);
        p.AddWithValue("error", (object?)d.LastError ?? DBNull.Value);
        p.AddWithValue("last_at", (object?)d.LastAttemptAt ?? DBNull.Value);
        p.AddWithValue("next_at", (object?)d.NextAttemptAt ?? DBNull.Value);
        p.AddWithValue("delivered_at", (object?)d.DeliveredAt ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>A key's deliveries, newest first, after the cursor delivery; one extra row tells whether more follow.</summary>
    public async Task<(IReadOnlyList<WebhookDelivery> Page, bool HasMore)> ListAsync(
        string owner, WebhookDelivery? after, int limit, string? generationId, CancellationToken ct)
    {
        var page = new KeysetPage(limit, Ascending: false, after is null ? null : (after.CreatedAt, after.Id));
        string generation = generationId is null ? "" : "AND generation_id = @generation";
        await using var cmd = db.CreateCommand(
            $"SELECT * FROM webhook_deliveries WHERE owner = @owner {page.AfterCursor} {generation} {page.OrderAndLimit}");
        cmd.Parameters.AddWithValue("owner", owner);
        page.Bind(cmd.Parameters);
        if (generationId is not null) cmd.Parameters.AddWithValue("generation", generationId);
        return page.Cut(await ReadAllAsync(cmd, ct));
    }

    private static async Task<List<WebhookDelivery>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var rows = new List<WebhookDelivery>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            T? Get<T>(string column) => r.IsDBNull(r.GetOrdinal(column)) ? default : r.GetFieldValue<T>(r.GetOrdinal(column));
            rows.Add(new WebhookDelivery
            {
                Id = Get<string>("id")!,
                EventId = Get<string>("event_id")!,
                EventType = Get<string>("event_type")!,
                Owner = Get<string>("owner")!,
                GenerationId = Get<string>("generation_id")!,
                Url = Get<string>("url")!,
                SecretRef = Get<string>("secret_ref")!,
                Payload = Get<string>("payload")!,
                Status = Get<string>("status")!,
                Attempts = Get<int>("attempts"),
                LastStatusCode = Get<int?>("last_status_code"),
                LastError = Get<string>("last_error"),
                CreatedAt = Get<DateTimeOffset>("created_at"),
                LastAttemptAt = Get<DateTimeOffset?>("last_attempt_at"),
                NextAttemptAt = Get<DateTimeOffset?>("next_attempt_at"),
                DeliveredAt = Get<DateTimeOffset?>("delivered_at"),
            });
        }
        return rows;
    }
}
