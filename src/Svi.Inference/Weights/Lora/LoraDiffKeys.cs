namespace Svi.Inference.Weights;

public sealed record LoraDiffKeys(string Target, LoraDiffKind Kind, string Key, long[] Shape)
{
    /// <summary>The parameter names this diff may land on, most specific first.</summary>
    public IEnumerable<string> ParameterCandidates() => Kind switch
    {
        LoraDiffKind.Bias => [Target + ".bias"],
        LoraDiffKind.Modulation => [Target + ".modulation"],
        _ => [Target + ".weight", Target],
    };
}
