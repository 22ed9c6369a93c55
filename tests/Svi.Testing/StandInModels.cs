using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using static TorchSharp.torch;

namespace Svi.Testing;

/// <summary>Loads stand-in models for any mode and records what it was asked for.</summary>
public sealed class StandInModelLoader : ISviModelLoader
{
    public List<SviMode> Loaded { get; } = [];
    public List<SviModelChoice> Choices { get; } = [];

    public SviModelSet Load(ModelFiles files, SviModelChoice choice)
    {
        var mode = choice.Mode;
        Loaded.Add(mode);
        Choices.Add(choice);
        var vae = new StandInVae(16, 8);
        var experts = new ExpertPair(new StandInVelocityModel(36, 16, 11), new StandInVelocityModel(36, 16, 12));
        ExpertPair? anchor = mode == SviMode.ImageToVideo ? null
            : new ExpertPair(new StandInVelocityModel(16, 16, 21), new StandInVelocityModel(16, 16, mode == SviMode.TextToVideoFast ? 23 : 22));
        return new SviModelSet(experts, vae, new StandInTextEncoder(), anchor, ScalarType.Float32, CPU, []);
    }
}

/// <summary>An inventory with every role installed (fake paths, or the given files), or with the given roles missing.</summary>
public sealed class FixedModelInventory(ModelFiles? installed, params ModelRole[] missing) : IModelInventory
{
    public FixedModelInventory(params ModelRole[] missing) : this(null, missing) { }

    public ModelAvailability Check()
    {
        var files = Enum.GetValues<ModelRole>().Where(r => !missing.Contains(r))
            .ToDictionary(r => r, r => installed?.Get(r) is { Count: > 0 } paths ? paths
                : r == ModelRole.Interpolation ? [LinearBlendRifeGraph.Address] : (IReadOnlyList<string>)[$"/models/{r}.safetensors"]);
        bool Has(params ModelRole[] roles) => roles.All(files.ContainsKey);
        bool i2v = Has(ModelRole.DitHigh, ModelRole.DitLow, ModelRole.LoraHigh, ModelRole.LoraLow, ModelRole.Vae,
            ModelRole.TextEncoder, ModelRole.Tokenizer);
        return new ModelAvailability("svi-2-0-pro", "test", new ModelFiles("test", files),
            i2v, i2v && Has(ModelRole.T2vDitHigh, ModelRole.T2vDitLow, ModelRole.T2vDistillLoraHigh, ModelRole.T2vDistillLoraLow),
            i2v && Has(ModelRole.T2vDitHigh, ModelRole.T2vDitLow),
            missing.Select(r => $"svi-2-0-pro/{r}.safetensors").ToList(), "Run ./svi models pull.");
    }
}
