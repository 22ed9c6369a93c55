using Svi.Server.Contracts;
using Svi.Server.Webhooks;

namespace Svi.Server.Api;

/// <summary><c>GET /v1/webhooks/deliveries</c>: the caller's key's delivery log, newest first, paged like the video list.</summary>
public static class WebhookEndpoints
{
    public static void MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/webhooks/deliveries", ListAsync).WithTags("Webhooks").Produces<ListPage<WebhookDeliveryView>>();
    }

    private static async Task<IResult> ListAsync(HttpContext context, WebhookDeliveryStore store,
        string? after, string? limit, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "video_id")] string? videoId, CancellationToken ct)
    {
        var owner = ApiKeyAuthentication.Owner(context);
        int n = QueryArgs.Limit(limit) ?? 20;
        if (n < 1 || n > 100) throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to 100; got {n}.");
        WebhookDelivery? cursor = null;
        if (after is not null)
            cursor = await store.GetAsync(after, ct) is { } d && d.Owner == owner ? d
                : throw ApiException.Invalid("after", $"'after' must be the id of one of your deliveries; '{after}' is not.", "invalid_cursor");
        var (page, hasMore) = await store.ListAsync(owner, cursor, n, videoId, ct);
        return TypedResults.Ok(ListPage<WebhookDeliveryView>.Of([.. page.Select(WebhookDeliveryView.From)], v => v.Id, hasMore));
    }
}
