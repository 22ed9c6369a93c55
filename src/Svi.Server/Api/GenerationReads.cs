using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// The read routes both surfaces have over the caller's generations: list, get and content. Each surface answers in
/// its own shape (the <c>respond</c> it maps with); native content may be the partial
/// MP4 of a running job, OpenAI's only the finished one. The handlers return <see cref="IResult"/>: ASP.NET's request
/// delegate generator (on in the trimmed GPU-kit publish) cannot name a handler's generic return type.
/// </summary>
public static class GenerationReads
{
    public static void MapGenerationReads<T>(this RouteGroupBuilder group, Func<GenerationRecord, T> respond, Func<T, string> idOf,
        bool allowPartial)
    {
        group.MapGet("", async Task<IResult> (HttpContext context, GenerationService service, string? after, string? limit,
            string? order, CancellationToken ct) =>
        {
            var (page, hasMore) = await service.ListAsync(ApiKeyAuthentication.Owner(context), after, QueryArgs.Limit(limit), order, ct);
            return TypedResults.Ok(ListPage<T>.Of([.. page.Select(respond)], idOf, hasMore));
        }).Produces<ListPage<T>>();
        group.MapGet("/{id}", async Task<IResult> (string id, HttpContext context, GenerationService service, CancellationToken ct) =>
                TypedResults.Ok(respond(await service.GetAsync(id, ApiKeyAuthentication.Owner(context), ct))))
            .Produces<T>().Produces<ErrorBody>(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/content", async (string id, string? variant, HttpContext context, GenerationService service,
            GenerationFiles files, CancellationToken ct) =>
        {
            var record = await service.GetAsync(id, ApiKeyAuthentication.Owner(context), ct);
            return variant == SpritesheetContent.Variant
                ? await SpritesheetContent.ForAsync(record, files, ct)
                : ContentResults.For(record, files, variant, allowPartial, context.Response);
        }).Produces(StatusCodes.Status200OK, contentType: "video/mp4");
    }
}
