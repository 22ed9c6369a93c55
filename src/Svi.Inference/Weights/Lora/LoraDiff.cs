namespace Svi.Inference.Weights;

/// <summary>A full-size difference for one parameter, always merged (see <see cref="LoraDiffKind"/>).</summary>
public sealed record LoraDiff(LoraDiffKeys Keys, Tensor Delta)
{
    public string SourceKey => Keys.Key;
}
