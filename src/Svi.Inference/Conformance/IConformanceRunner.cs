namespace Svi.Inference.Conformance;

/// <summary>Runs the production code of one component on a golden set and records every comparison.</summary>
public interface IConformanceRunner
{
    /// <summary>The set's <c>config.json</c> <c>component</c> value this runner handles.</summary>
    string Component { get; }

    void Run(ConformanceSet set, ConformanceReport report);
}
