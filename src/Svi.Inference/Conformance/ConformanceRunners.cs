using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Conformance;

/// <summary>Every component that <c>./svi conformance</c> can check.</summary>
public static class ConformanceRunners
{
    public const double DefaultTolerance = 1e-4;

    public static IReadOnlyList<IConformanceRunner> All { get; } =
    [
        // one line per component runner
        new WanDitConformance(),
        new SamplerConformance(),
        new WanVaeRunner(WanVaeGeneration.Wan21),
        new WanVaeRunner(WanVaeGeneration.Wan22),
        new Umt5EncoderConformance(),
        new SviPipelineConformance(),
    ];

    public static IConformanceRunner? Find(string component) => All.FirstOrDefault(r => r.Component == component);

    /// <summary>Loads the set, runs its component and returns the report.</summary>
    public static ConformanceReport Run(string setDirectory, double tolerance = DefaultTolerance)
    {
        using var set = new ConformanceSet(setDirectory);
        var runner = Find(set.Component) ?? throw new NotSupportedException(
            $"{set.Directory}: component '{set.Component}' has no conformance runner; known: {string.Join(", ", All.Select(r => r.Component))}");
        var report = new ConformanceReport(tolerance);
        using (TorchSharp.torch.NewDisposeScope()) runner.Run(set, report);
        return report;
    }
}
