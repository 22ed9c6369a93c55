using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Server.Contracts;
using Svi.Server.Jobs;
using Svi.Server.Models;

namespace Svi.Server.Hosting;

/// <summary>
/// The one place the server learns what is installed (the model inventory over the manifest) and how to render
/// (the SVI pipeline, and with it the sizes this deployment renders). Both register with TryAdd, so a registration made earlier (a test's doubles) wins.
/// </summary>
public static class InferenceRegistration
{
    public static IServiceCollection AddSviInference(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModelInventory(configuration);
        services.AddSviRenderer();
        services.TryAddSingleton(sp => DeploymentResolutions.For(sp.GetRequiredService<SviArchitecture>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        return services;
    }
}
