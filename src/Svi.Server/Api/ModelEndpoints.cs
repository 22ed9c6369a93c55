using Microsoft.Extensions.Options;
using Svi.Inference.Runtime;
using Svi.Server.Contracts;
using Svi.Server.Hosting;

namespace Svi.Server.Api;

/// <summary><c>/v1/models</c>: what is served, its parameters, and whether its weights are installed.</summary>
public static class ModelEndpoints
{
    private static readonly long Created = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static void MapModels(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/models").WithTags("Models");
        group.MapGet("", (IOptions<SviOptions> options) => TypedResults.Ok(new
        {
            @object = "list",
            data = new[] { ModelCatalog.SviProId }.Concat(options.Value.ModelAliases.Keys)
                .Select(id => new { id, @object = "model", created = Created, owned_by = "svi-server" }),
        }));
        group.MapGet("/{id}", (string id, IOptions<SviOptions> options, IModelInventory inventory) =>
        {
            if (id != ModelCatalog.SviProId && !options.Value.ModelAliases.ContainsKey(id))
                throw new ApiException(StatusCodes.Status404NotFound,
                    $"The model '{id}' does not exist here. Served models: {string.Join(", ", new[] { ModelCatalog.SviProId }.Concat(options.Value.ModelAliases.Keys))}.",
                    "model", "model_not_found");
            var a = inventory.Check();
            return TypedResults.Ok(new
            {
                id, @object = "model", created = Created, owned_by = "svi-server", served_as = ModelCatalog.SviProId,
                description = "Stable Video Infinity 2.0 Pro on Wan 2.2 I2V-A14B: long videos built clip by clip (81 frames, 16 fps).",
                endpoints = new[] { "/v1/videos/generations", "/v1/videos" },
                parameters = ModelSchema.Parameters(options.Value),
                openai_parameters = ModelSchema.OpenAiParameters(options.Value),
                availability = Availability(a),
            });
        });
    }

    public static object Availability(ModelAvailability a) => new
    {
        variant = a.Variant, image_to_video = a.ImageToVideo, text_to_video_fast = a.TextToVideoFast,
        text_to_video_quality = a.TextToVideoQuality, missing = a.Missing, hint = a.Hint,
    };
}
