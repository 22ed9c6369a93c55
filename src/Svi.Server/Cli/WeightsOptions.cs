using System.CommandLine;
using Svi.Inference.Runtime;

namespace Svi.Server.Cli;

/// <summary>
/// <c>--weights files|random</c> and <c>--architecture auto|a14b|tiny</c>, shared by serve, worker, generate and bench:
/// flags for <c>Svi:Inference:Weights</c> and <c>Svi:Inference:Architecture</c>.
/// </summary>
public sealed class WeightsOptions
{
    public Option<string?> Weights { get; } = new("--weights")
    {
        Description = "files: the installed weights (default). random: seeded random weights built through the same loaders, " +
                      "no download needed; every video is noise and is labelled random (API objects, MP4 comment, logs).",
    };

    public Option<string?> Architecture { get; } = new("--architecture")
    {
        Description = "a14b (the published Wan 2.2 A14B sizes), tiny (toy sizes that render on a CPU in about a minute per " +
                      "3 clips), or auto: tiny with --weights random, else a14b.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Weights);
        command.Options.Add(Architecture);
    }

    /// <summary>The flags as configuration arguments (<c>--Svi:Inference:Weights=random</c>) for a host's command line.</summary>
    public IEnumerable<string> ConfigurationArgs(ParseResult parse)
    {
        if (parse.GetValue(Weights) is { } weights) yield return $"--{InferenceOptions.Section}:Weights={weights}";
        if (parse.GetValue(Architecture) is { } architecture) yield return $"--{InferenceOptions.Section}:Architecture={architecture}";
    }

    /// <summary>Applies the flags to options read from the configuration.</summary>
    public void ApplyTo(ParseResult parse, InferenceOptions options)
    {
        if (parse.GetValue(Weights) is { } weights) options.Weights = weights;
        if (parse.GetValue(Architecture) is { } architecture) options.Architecture = architecture;
    }
}
