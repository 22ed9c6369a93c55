using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Inference.Weights.Random;

/// <summary>
/// The bytes random weights of an architecture occupy once loaded, counted from the configs the way the files of a
/// variant would measure, so the memory planner chooses for random A14B weights exactly what it chooses for real ones.
/// </summary>
public static class RandomWeightFootprint
{
    /// <param name="fp8">linear weights stored as one byte (the fp8 variant), everything else as bf16</param>
    public static WeightFootprint For(SviArchitecture architecture, bool fp8, int loraRank)
    {
        var dit = architecture.I2v;
        long linearBytes = fp8 ? 1 : 2;
        long d = dit.Dim, ffn = dit.FfnDim, patch = dit.PatchVolume;
        long blockLinear = 8 * d * d + 2 * d * ffn;
        long blockOther = 8 * d + ffn + d + 4 * d + 2 * d + 6 * d;
        long nonBlockLinear = d * dit.TextDim + d * d + d * dit.FreqDim + d * d + 6 * d * d + dit.OutDim * patch * d;
        long nonBlockOther = d * dit.InDim * patch + 14 * d + dit.OutDim * patch;
        long Expert(long bytesPerLinearWeight) =>
            dit.NumLayers * (blockLinear * bytesPerLinearWeight + blockOther * 2) + nonBlockLinear * bytesPerLinearWeight + nonBlockOther * 2;
        long expert = Expert(linearBytes);
        long lora = dit.NumLayers * 2L * loraRank * (10 * d + 2 * ffn) * 2;

        var t = architecture.TextEncoder;
        long textLinear = t.NumLayers * (4L * t.Dim * t.DimAttn + 3L * t.Dim * t.DimFfn);
        long textOther = (long)t.Vocab * t.Dim + t.NumLayers * (2L * t.Dim + (long)t.NumBuckets * t.NumHeads) + t.Dim;
        long text = textLinear * linearBytes + textOther * 2;

        // The Wan 2.1 VAE has 127M parameters at width 96; its convolutions scale with the width squared.
        double widthRatio = architecture.Vae.Dim / 96.0;
        long vae = (long)(127e6 * widthRatio * widthRatio * 2);
        return new WeightFootprint(expert, lora, text, vae, dit.NumLayers, fp8 ? Expert(2) : null);
    }
}
