using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// A create request on either surface: its body is read, parsed by the surface's parser against the deployment's
/// options, defaults and sizes, and submitted. The create handlers take it as one parameter (<c>[AsParameters]</c>,
/// each member from the services).
/// </summary>
public sealed record GenerationCreation(GenerationService Service, IOptions<SviOptions> Options, SviDefaults Defaults,
    DeploymentResolutions Resolutions)
{
    public delegate Task<GenerationRequest> Parser(RequestFields fields, SviOptions options, SviDefaults defaults,
        DeploymentResolutions resolutions, CancellationToken ct);

    /// <summary>Reads, parses and submits the request of <paramref name="context"/> made on <paramref name="surface"/>.</summary>
    public async Task<GenerationRecord> SubmitAsync(HttpContext context, string surface, Parser parse, CancellationToken ct)
    {
        var fields = await RequestFields.ReadAsync(context.Request, BodyLimits.WithImage(Options.Value), ct);
        var request = await parse(fields, Options.Value, Defaults, Resolutions, ct);
        return await Service.SubmitAsync(request, ApiKeyAuthentication.Owner(context), surface, QueryArgs.IdempotencyKey(context.Request), ct);
    }
}
