using Svi.Inference.Wan;

namespace Svi.Inference.Runtime;

/// <summary>
/// Matrix FLOPs of one Wan DiT forward (2 per multiply-add): self-attention projections and scores, cross-attention
/// on the text, FFN. Norms, RoPE and modulation are a rounding error at these sizes. Used by <c>./svi bench dit</c> and
/// by the per-clip time estimates.
/// </summary>
public static class DitFlops
{
    public static double Forward(WanConfig c, long tokens)
    {
        double l = tokens, d = c.Dim, text = c.TextLen;
        double selfAttention = 4 * 2 * l * d * d + 2 * 2 * l * l * d;
        double crossAttention = 2 * 2 * l * d * d + 2 * 2 * text * d * d + 2 * 2 * l * text * d;
        double ffn = 2 * 2 * l * d * c.FfnDim;
        return c.NumLayers * (selfAttention + crossAttention + ffn);
    }
}
