using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Svi.Inference.Runtime;
using Svi.Server.Jobs;

namespace Svi.Server.Hosting;

/// <summary>
/// The one place the server learns how to render and what is installed. Both are TryAdd: a registration made
/// earlier (the real pipeline renderer and model inventory, or a test's doubles) wins over these fallbacks.
/// To plug in the real ones, register them before calling this (or replace the two fallback lines).
/// </summary>
public static class InferenceRegistration
{
    public static IServiceCollection AddSviInference(this IServiceCollection services)
    {
        services.TryAddSingleton<IModelInventory, NoWeightsInventory>();
        services.TryAddSingleton<IVideoRenderer, NoPipelineRenderer>();
        return services;
    }
}

/// <summary>The fallback inventory: reports that no weights are installed, and how to install them.</summary>
public sealed class NoWeightsInventory(IOptions<SviOptions> options) : IModelInventory
{
    public ModelAvailability Check() => new(
        Contracts.ModelCatalog.SviProId, null, null, false, false, false, [],
        $"No model inventory is part of this build; install the weights with './svi models pull {Contracts.ModelCatalog.SviProId}' " +
        $"into {Path.GetFullPath(options.Value.ModelsDirectory)}.");
}

/// <summary>The fallback renderer: fails every job with a message saying the pipeline is missing from this build.</summary>
public sealed class NoPipelineRenderer : IVideoRenderer
{
    public Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken) =>
        throw new RenderFailedException("pipeline_unavailable",
            "This build of SVI Server has no video pipeline registered (IVideoRenderer); nothing was rendered.");
}
