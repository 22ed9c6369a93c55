using Svi.Server.Contracts;

namespace Svi.Server.Api;

/// <summary>The native surface: <c>/v1/videos/generations</c>, with every SVI parameter.</summary>
public static class GenerationEndpoints
{
    public static void MapGenerations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/videos/generations").WithTags("Generations");
        group.MapPost("", CreateAsync).AsSubmission<NativeGenerationBody, GenerationResponse>(StatusCodes.Status202Accepted);
        group.MapGenerationReads(GenerationResponse.From, g => g.Id, allowPartial: true);
        group.MapPost("/{id}/extend", ExtendAsync).AsSubmission<NativeExtensionBody, GenerationResponse>(StatusCodes.Status202Accepted);
        group.MapPost("/{id}/cancel", CancelAsync).Produces<GenerationResponse>();
        group.MapDelete("/{id}", DeleteAsync).Produces<VideoDeleted>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, [AsParameters] GenerationCreation creation, CancellationToken ct)
    {
        var record = await creation.SubmitAsync(context, "native", GenerationRequest.ParseNativeAsync, ct);
        return TypedResults.Accepted($"/v1/videos/generations/{record.Id}", GenerationResponse.From(record));
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
