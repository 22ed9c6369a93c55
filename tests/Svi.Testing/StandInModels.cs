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
