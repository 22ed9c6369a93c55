using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>The native surface: <c>/v1/videos/generations</c>, with every SVI parameter.</summary>
public static class GenerationEndpoints
{
    public static void MapGenerations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/videos/generations").WithTags("Generations");
        group.MapPost("", CreateAsync).DisableAntiforgery().DocumentsBody<NativeGenerationBody>()
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted).Produces<ErrorBody>(StatusCodes.Status400BadRequest);
        group.MapGet("", ListAsync).Produces<ListPage<GenerationResponse>>();
        group.MapGet("/{id}", GetAsync).Produces<GenerationResponse>().Produces<ErrorBody>(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/content", ContentAsync).Produces(StatusCodes.Status200OK, contentType: "video/mp4");
        group.MapPost("/{id}/extend", ExtendAsync).DisableAntiforgery().DocumentsBody<NativeExtensionBody>()
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted).Produces<ErrorBody>(StatusCodes.Status400BadRequest);
        group.MapPost("/{id}/cancel", CancelAsync).Produces<GenerationResponse>();
        group.MapDelete("/{id}", DeleteAsync).Produces<VideoDeleted>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, GenerationService service, IOptions<SviOptions> options,
        SviDefaults defaults, DeploymentResolutions resolutions, CancellationToken ct)
    {
        var fields = await RequestFields.ReadAsync(context.Request, BodyLimits.WithImage(options.Value), ct);
        var request = await GenerationRequest.ParseNativeAsync(fields, options.Value, defaults, resolutions, ct);
        var record = await service.SubmitAsync(request, ApiKeyAuthentication.Owner(context), "native", QueryArgs.IdempotencyKey(context.Request), ct);
        return TypedResults.Accepted($"/v1/videos/generations/{record.Id}", GenerationResponse.From(record));
    }

    private static async Task<IResult> ListAsync(HttpContext context, GenerationService service,
        string? after, string? limit, string? order, CancellationToken ct)
    {
        var (page, hasMore) = await service.ListAsync(ApiKeyAuthentication.Owner(context), after, QueryArgs.Limit(limit), order, ct);
        return TypedResults.Ok(ListPage<GenerationResponse>.Of([.. page.Select(GenerationResponse.From)], g => g.Id, hasMore));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, GenerationService service, CancellationToken ct) =>
        TypedResults.Ok(GenerationResponse.From(await service.GetAsync(id, ApiKeyAuthentication.Owner(context), ct)));

    private static async Task<IResult> ContentAsync(string id, string? variant, HttpContext context, GenerationService service,
        GenerationFiles files, CancellationToken ct)
    {
        var record = await service.GetAsync(id, ApiKeyAuthentication.Owner(context), ct);
        return variant == SpritesheetContent.Variant
            ? await SpritesheetContent.ForAsync(record, files, ct)
            : ContentResults.For(record, files, variant, allowPartial: true, context.Response);
    }

    /// <summary>Continues a completed generation with more clips, as a new generation holding the whole video.</summary>
    private static async Task<IResult> ExtendAsync(string id, HttpContext context, GenerationService service, ExtensionService extensions,
        CancellationToken ct)
    {
        var owner = ApiKeyAuthentication.Owner(context);
        var source = await service.GetAsync(id, owner, ct);
        var request = ExtensionRequest.ParseNative(id, await RequestFields.ReadAsync(context.Request, BodyLimits.TextOnly, ct));
        var record = await extensions.ExtendAsync(source, request, owner, "native", QueryArgs.IdempotencyKey(context.Request), ct);
        return TypedResults.Accepted($"/v1/videos/generations/{record.Id}", GenerationResponse.From(record));
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext context, GenerationService service, CancellationToken ct) =>
        TypedResults.Ok(GenerationResponse.From(await service.CancelAsync(id, ApiKeyAuthentication.Owner(context), ct)));

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, GenerationService service, CancellationToken ct)
    {
        await service.DeleteAsync(id, ApiKeyAuthentication.Owner(context), ct);
        return TypedResults.Ok(new VideoDeleted(id, "video.generation.deleted", true));
    }
}
