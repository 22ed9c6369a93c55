using Npgsql;

namespace Svi.Server.Storage;

/// <summary>
/// One page of rows in (created_at, id) order, after a cursor row (the previous page's last): the query asks for one row
/// more than the page, which tells whether more follow. Generations and webhook deliveries are listed this way.
/// </summary>
public readonly record struct KeysetPage(int Limit, bool Ascending, (DateTimeOffset CreatedAt, string Id)? After)
{
    string Direction => Ascending ? "ASC" : "DESC";

    /// <summary>The condition to add to the query's WHERE (empty on the first page).</summary>
    public string AfterCursor => After is null ? "" : $"AND (created_at, id) {(Ascending ? ">" : "<")} (@after_at, @after_id)";

    public string OrderAndLimit => $"ORDER BY created_at {Direction}, id {Direction} LIMIT @limit";

    public void Bind(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("limit", Limit + 1);
        if (After is not { } after) return;
        parameters.AddWithValue("after_at", after.CreatedAt);
        parameters.AddWithValue("after_id", after.Id);
    }

    public (IReadOnlyList<T> Page, bool HasMore) Cut<T>(List<T> rows) => (rows.Take(Limit).ToList(), rows.Count > Limit);
}
