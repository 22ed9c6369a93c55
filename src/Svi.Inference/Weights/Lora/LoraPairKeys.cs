namespace Svi.Inference.Weights;

/// <param name="Target">the file's own name for the linear layer (prefix still on)</param>
/// <param name="DownShape">A / lora_down [r, in]</param>
/// <param name="UpShape">B / lora_up [out, r]</param>
public sealed record LoraPairKeys(string Target, string DownKey, string UpKey, string? AlphaKey, LoraConvention Convention,
    long[] DownShape, long[] UpShape)
{
    public long Rank => DownShape[0];
}
