namespace Svi.Inference.Weights;

/// <summary>What a LoRA file holds, read from its key names and shapes alone (no tensor data).</summary>
/// <param name="Problems">keys that are no LoRA key, and halves of pairs without their other half</param>
public sealed record LoraKeySet(IReadOnlyList<LoraPairKeys> Pairs, IReadOnlyList<LoraDiffKeys> Diffs, IReadOnlyList<string> Problems)
{
    public int Updates => Pairs.Count + Diffs.Count;
}
