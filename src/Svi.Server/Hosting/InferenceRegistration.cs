using Svi.Server.Jobs;
using Svi.Server.Models;

namespace Svi.Server.Hosting;

/// <summary>
/// The one place the server learns what is installed (the model inventory over the manifest) and how to render
/// (the SVI pipeline). Both register with TryAdd, so a registration made earlier (a test's doubles) wins.
/// </summary>
public static class InferenceRegistration
{
    public static IServiceCollection AddSviInference(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModelInventory(configuration);
        services.AddSviRenderer();
        return services;
    }
}
