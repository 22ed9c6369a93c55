namespace Svi.Inference.Weights;

/// <summary>
/// One low-rank update for the linear layer its <see cref="Keys"/> name (the file's own name, resolved against the model
/// by <see cref="LoraFit"/>): ΔW = Factor · Up·Down, Down (A) [r, in], Up (B) [out, r].
/// </summary>
public sealed record LoraPatch(LoraPairKeys Keys, Tensor Down, Tensor Up, double Factor)
{
    public string Target => Keys.Target;
    public string SourceKey => Keys.DownKey;
    public LoraConvention Convention => Keys.Convention;
    public long Rank => Down.shape[0];
}
