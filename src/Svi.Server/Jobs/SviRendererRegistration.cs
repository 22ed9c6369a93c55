using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Svi.Inference.Svi;
using Svi.Server.Media;
using static TorchSharp.torch;

namespace Svi.Server.Jobs;

public static class SviRendererRegistration
{
    /// <summary>
    /// Registers <see cref="SviVideoRenderer"/> as the <see cref="IVideoRenderer"/>, with the FFmpeg media layer and the
    /// production model loader (published A14B architecture, bf16, on CUDA when present). <see cref="Svi.Inference.Runtime.IModelInventory"/>
    /// must be registered too (the model inventory). Anything registered before wins, so tests can swap the loader.
    /// </summary>
    public static IServiceCollection AddSviRenderer(this IServiceCollection services)
    {
        services.TryAddSingleton(new VideoEncoding());
        services.TryAddSingleton<IVideoMedia>(sp => new FfmpegVideoMedia(sp.GetRequiredService<VideoEncoding>()));
        services.TryAddSingleton(new SviDefaults());
        services.TryAddSingleton<ISviModelLoader>(_ => new SviModelLoader(SviArchitecture.Wan22A14B, ScalarType.BFloat16,
            cuda.is_available() ? CUDA : CPU));
        services.TryAddSingleton<IVideoRenderer, SviVideoRenderer>();
        return services;
    }
}
