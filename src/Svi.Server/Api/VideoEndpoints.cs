using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Hosting;

namespace Svi.Server.Api;

/// <summary>
/// OpenAI's Videos API (<c>/v1/videos</c>) over the same generations, so OpenAI clients work with a changed base URL.
/// </summary>
public static class VideoEndpoints
{
    public static void MapVideos(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/videos").WithTags("OpenAI Videos");
        group.MapPost("", CreateAsync).AsSubmission<OpenAiVideoBody, VideoObject>();
        group.MapGenerationReads(VideoObject.From, v => v.Id, allowPartial: false);
        group.MapDelete("/{id}", DeleteAsync).Produces<VideoDeleted>();
        group.MapPost("/{id}/remix", RemixAsync).DisableAntiforgery().DocumentsBody<RemixBody>().Produces<VideoObject>();
        group.MapPost("/extensions", ExtendAsync).AsSubmission<OpenAiExtensionBody, VideoObject>();
        group.MapPost("/edits", () => NotSupported("video", "Video edits are not something SVI 2.0 Pro does; create a new video instead."))
            .DisableAntiforgery();
        group.MapPost("/characters", () => NotSupported("name", "Characters are not supported by this server; pass the character's image as input_reference."))
            .DisableAntiforgery();
        group.MapGet("/characters/{id}", (string id) => NotSupported("id", "Characters are not supported by this server."));
    }

    private static IResult NotSupported(string param, string message) => throw ApiException.Invalid(param, message, "unsupported_operation");

    private static async Task<IResult> CreateAsync(HttpContext context, [AsParameters] GenerationCreation creation, CancellationToken ct)
    {
        var record = await creation.SubmitAsync(context, "openai", OpenAiVideoRequest.ParseAsync, ct);
        return TypedResults.Ok(VideoObject.From(record));
    }

    /// <summary>OpenAI's <c>videos.extend</c>: continues one of the caller's completed videos.</summary>
    private static async Task<IResult> ExtendAsync(HttpContext context, GenerationService service, ExtensionService extensions,
        IOptions<SviOptions> options, CancellationToken ct)
    {
        var owner = ApiKeyAuthentication.Owner(context);
        var request = ExtensionRequest.ParseOpenAi(await RequestFields.ReadAsync(context.Request, BodyLimits.WithVideo(options.Value), ct), options.Value);
        var key = QueryArgs.IdempotencyKey(context.Request);
        if (request.Upload is not null)
            return TypedResults.Ok(VideoObject.From(await extensions.ExtendUploadAsync(request, owner, key, ct)));
        var source = await service.GetAsync(request.SourceId!, owner, ct);
        return TypedResults.Ok(VideoObject.From(await extensions.ExtendAsync(source, request, owner, "openai", key, ct)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, GenerationService service, CancellationToken ct)
    {
        await service.DeleteAsync(id, ApiKeyAuthentication.Owner(context), ct);
        return TypedResults.Ok(new VideoDeleted(id, "video.deleted", true));
    }

    private static async Task<IResult> RemixAsync(string id, HttpContext context, GenerationService service, CancellationToken ct)
    {
        var owner = ApiKeyAuthentication.Owner(context);
        var source = await service.GetAsync(id, owner, ct);
        var fields = await RequestFields.ReadAsync(context.Request, BodyLimits.TextOnly, ct);
        fields.RejectUnknown(["prompt"]);
        var prompt = fields.String("prompt", GenerationRequest.MaxPromptLength);
        if (string.IsNullOrWhiteSpace(prompt)) throw ApiException.Missing("prompt", "the new prompt for the remix");
        return TypedResults.Ok(VideoObject.From(await service.RemixAsync(source, prompt, owner, QueryArgs.IdempotencyKey(context.Request), ct)));
    }
}
