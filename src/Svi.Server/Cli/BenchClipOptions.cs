using System.CommandLine;
using Svi.Inference.Runtime;
using Svi.Inference.Weights.Random;

namespace Svi.Server.Cli;

/// <summary>
/// The options every model bench takes (<c>bench dit</c>, <c>bench vae</c>): the clip's latent frames and pixel size,
/// the compute dtype, the device, the timed runs, and the random weights to time them on (<c>--weights random</c>,
/// <c>--architecture</c>, <c>--variant</c>).
/// </summary>
sealed class BenchClipOptions
{
    readonly int sizeMultiple;

    /// <param name="resolutionHelp">What <c>--resolution</c> means to the benched model.</param>
    /// <param name="sizeMultiple">What the pixel width and height must be multiples of.</param>
    /// <param name="timedRuns">What one timed run does, plural ("forwards", "decodes").</param>
    /// <param name="iterations">How many timed runs by default.</param>
    public BenchClipOptions(string resolutionHelp, int sizeMultiple, string timedRuns, int iterations)
    {
        this.sizeMultiple = sizeMultiple;
        Resolution = new("--resolution") { Description = resolutionHelp, DefaultValueFactory = _ => "832x480" };
        Iterations = new("--iterations") { Description = $"Timed {timedRuns} (after one untimed warm-up).", DefaultValueFactory = _ => iterations };
    }

    public Option<int> LatentFrames { get; } = new("--latent-frames") { Description = "Latent frames (21 for an 81-frame clip).", DefaultValueFactory = _ => 21 };

    public Option<string> Resolution { get; }

    public Option<string> Dtype { get; } = new("--dtype") { Description = "float32 or bfloat16 (the compute dtype).", DefaultValueFactory = _ => "bfloat16" };

    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };

    public Option<int> Iterations { get; }

    public WeightsOptions Weights { get; } = new();

    /// <summary><c>--variant</c>: how random weights are stored (<c>Svi:Inference:Variant</c>).</summary>
    public Option<string> Variant { get; } = new("--variant")
    {
        Description = "With --weights random: bf16, or fp8 (scaled e4m3fn linears, decoded on the device as the fp8 files are).",
        DefaultValueFactory = _ => "bf16",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { LatentFrames, Resolution, Dtype, Device, Iterations, Variant }) command.Options.Add(option);
        Weights.AddTo(command);
    }

    /// <summary>The clip's pixel size from <c>--resolution</c>; false, after saying why, when it is malformed or off the multiple.</summary>
    public bool TryReadSize(ParseResult parse, out int width, out int height)
    {
        string text = parse.GetValue(Resolution)!;
        var size = text.Split('x');
        width = height = 0;
        bool read = size.Length == 2 && int.TryParse(size[0], out width) && int.TryParse(size[1], out height)
                    && width % sizeMultiple == 0 && height % sizeMultiple == 0;
        if (!read) Console.Error.WriteLine($"error: --resolution must be WIDTHxHEIGHT in multiples of {sizeMultiple}; got '{text}'.");
        return read;
    }

    /// <summary>The random models <c>--weights random</c> asks for; none without <c>--weights</c>; an error for anything else.</summary>
    public (BenchmarkModels? Models, string? Error) RandomModels(ParseResult parse)
    {
        var options = new InferenceOptions { Architecture = ModelArchitectures.Auto };
        Weights.ApplyTo(parse, options);
        if (parse.GetValue(Weights.Weights) is null)
            return parse.GetValue(Weights.Architecture) is null ? (null, null) : (null, "error: --architecture needs --weights random.");
        if (!options.UsesRandomWeights)
            return (null, "error: bench runs on random weights only: --weights random (or leave --weights out for an in-place initialised expert).");
        if (!ModelArchitectures.IsKnown(options.Architecture))
            return (null, $"error: --architecture must be a14b, tiny or auto; got '{options.Architecture}'.");
        if (parse.GetValue(Variant) is not ("bf16" or "fp8"))
            return (null, $"error: --variant must be bf16 or fp8; got '{parse.GetValue(Variant)}'.");
        return (BenchmarkModels.Random(options.Architecture, parse.GetValue(Variant)!), null);
    }
}
