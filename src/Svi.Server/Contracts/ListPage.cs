namespace Svi.Server.Contracts;

/// <summary>A page of a list endpoint, in OpenAI's shape; the next page is asked for with <c>after=last_id</c>.</summary>
public sealed record ListPage<T>(string Object, IReadOnlyList<T> Data, string? FirstId, string? LastId, bool HasMore)
{
    public static ListPage<T> Of(IReadOnlyList<T> data, Func<T, string> id, bool hasMore) =>
        new("list", data, data.Count > 0 ? id(data[0]) : null, data.Count > 0 ? id(data[^1]) : null, hasMore);
}
