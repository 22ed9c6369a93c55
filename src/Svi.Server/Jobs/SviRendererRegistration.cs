using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Server.Media;

namespace Svi.Server.Jobs;

public static class SviRendererRegistration
{
    /// <summary>
    /// Registers <see cref="SviVideoRenderer"/> as the <see cref="IVideoRenderer"/>, with the FFmpeg media layer, the
    /// sampling defaults of <see cref="InferenceOptions"/> (Svi:Inference) and the production model loader (published A14B
    /// architecture, bf16, LoRA strengths and fast preset from the options, on the device of <see cref="RuntimePlanSource"/>,
    /// models kept loaded between jobs of the same mode). Needs the model inventory registration
    /// (<c>AddModelInventory</c>). Anything registered before wins, so tests can swap the loader or the architecture.
    /// </summary>
    public static IServiceCollection AddSviRenderer(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<InferenceOptions>>().Value.UsesRandomWeights
            ? new VideoEncoding { Comment = RandomWeightsLabel.Comment } : new VideoEncoding());
        services.TryAddSingleton<IVideoMedia>(sp => new FfmpegVideoMedia(sp.GetRequiredService<VideoEncoding>()));
        services.TryAddSingleton(sp => SviDefaults.From(sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        services.TryAddSingleton(sp => ModelArchitectures.For(sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        services.TryAddSingleton<ISviModelLoader>(sp =>
        {
            var plans = sp.GetRequiredService<RuntimePlanSource>();
            return new CachingSviModelLoader(SviModelLoader.From(sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
                sp.GetRequiredService<SviArchitecture>(), () => SviPlacement.From(plans.Plan())));
        });
        services.TryAddSingleton<IVideoRenderer, SviVideoRenderer>();
        return services;
    }
}
