using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
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
        group.MapGet("", (IOptions<SviOptions> options) => TypedResults.Ok(new ModelList("list",
            [.. new[] { ModelCatalog.SviProId }.Concat(options.Value.ModelAliases.Keys)
                .Select(id => new ModelSummary(id, "model", Created, "svi-server"))])));
        group.MapGet("/{id}", (string id, IOptions<SviOptions> options, IModelInventory inventory, SviDefaults defaults,
            DeploymentResolutions resolutions, IServiceProvider services) =>
        {
            if (id != ModelCatalog.SviProId && !options.Value.ModelAliases.ContainsKey(id))
                throw new ApiException(StatusCodes.Status404NotFound,
                    $"The model '{id}' does not exist here. Served models: {string.Join(", ", new[] { ModelCatalog.SviProId }.Concat(options.Value.ModelAliases.Keys))}.",
                    "model", "model_not_found");
            var availability = inventory.Check();
            return TypedResults.Ok(new ModelDetail(id, "model", Created, "svi-server", ModelCatalog.SviProId,
                availability.IsRandom
                    ? "RANDOM WEIGHTS: seeded random models with SVI 2.0 Pro's pipeline; videos are noise, for trying the API only."
                    : "Stable Video Infinity 2.0 Pro on Wan 2.2 I2V-A14B: long videos built clip by clip (81 frames, 16 fps).",
                ["/v1/videos/generations", "/v1/videos"], ModelSchema.Parameters(options.Value, defaults, resolutions, InterpolationSupport.Of(inventory)),
                ModelSchema.OpenAiParameters(options.Value, resolutions),
                ModelSchema.Recipes(defaults, resolutions, inventory, services.GetService<Models.ModelManifest>()),
                ModelModes.From(availability), availability.Weights));
        }).Produces<ErrorBody>(StatusCodes.Status404NotFound);
    }
}
