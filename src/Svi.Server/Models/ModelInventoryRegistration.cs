using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Server.Models;

public static class ModelInventoryRegistration
{
    /// <summary>Config key naming a manifest file to use instead of the embedded one (tests, private mirrors).</summary>
    public const string ManifestKey = "Svi:ModelManifest";

    /// <summary>
    /// Registers the real <see cref="IModelInventory"/> (the manifest embedded in svi.dll, or Svi:ModelManifest, over
    /// Svi:ModelsDirectory), validated <see cref="InferenceOptions"/> (Svi:Inference) and <see cref="HubOptions"/>
    /// (Svi:ModelHub), the CUDA/memory probes, and <see cref="RuntimePlanSource"/> (device + memory plan, chosen and
    /// logged on first use by the worker). Invalid values stop the host at start
    /// with one message per problem.
    /// </summary>
    public static IServiceCollection AddModelInventory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddOptions<HubOptions>().Bind(configuration.GetSection(HubOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubOptions>>(new ListValidator<HubOptions>(o => o.Validate()));
        services.AddSingleton(_ => ModelManifest.Default(configuration[ManifestKey]));
        services.AddSingleton(sp => new ModelInventory(
            sp.GetRequiredService<ModelManifest>(), ModelsDirectory.Resolve(configuration),
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.Variant,
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.Recipe, DefaultIsHd(configuration)));
        services.TryAddSingleton<IModelInventory>(sp =>
        {
            var inference = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            var manifest = sp.GetRequiredService<ModelManifest>();
            return inference.UsesRandomWeights
                ? new RandomModelInventory(manifest.Model, inference, manifest.RolesFor)
                : sp.GetRequiredService<ModelInventory>();
        });
        services.AddSingleton<ICudaRuntime, TorchCudaRuntime>();
        services.AddSingleton<IDeviceMemoryProbe, SystemMemoryProbe>();
        services.AddSingleton(sp => new RuntimePlanSource(
            sp.GetRequiredService<IModelInventory>(), sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
            sp.GetRequiredService<ICudaRuntime>(), sp.GetRequiredService<IDeviceMemoryProbe>(),
            Serilog.Log.ForContext<RuntimePlanSource>()));
        return services;
    }

    /// <summary>Whether the size a request gets when it names none (Svi:DefaultResolution) is 720p.</summary>
    public static bool DefaultIsHd(IConfiguration configuration) =>
        configuration["Svi:DefaultResolution"]?.Split('x') is [var w, var h] && int.TryParse(w, out int width) &&
        int.TryParse(h, out int height) && SviRecipes.IsHd(width, height);

    sealed class ListValidator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    /// <summary>The options' own rules, plus: a configured variant must exist in the manifest.</summary>
    sealed class InferenceOptionsValidator(ModelManifest manifest) : IValidateOptions<InferenceOptions>
    {
        public ValidateOptionsResult Validate(string? name, InferenceOptions options)
        {
            var errors = options.Validate().ToList();
            if (options.Variant is { Length: > 0 } v && v != "auto" && !manifest.Variants.ContainsKey(v))
                errors.Add($"{InferenceOptions.Section}:Variant '{v}' is not in the manifest (auto, {string.Join(", ", manifest.Variants.Keys)}).");
            return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
        }
    }
}
