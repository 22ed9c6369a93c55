using Svi.Inference.Pipeline;
using Svi.Inference.Wan;

namespace Svi.Inference.Runtime;

/// <summary>
/// Peak activation bytes of one DiT forward, from its shape. A forward holds the fp32 residual stream [B, L, C] and
/// one branch of one block at a time (blocks update the stream in place and free their temporaries), so the peak does
/// not depend on the depth. The coefficients are the worst branch counted tensor by tensor and checked against
/// <see cref="LiveTensorMeter"/> (ActivationFootprintTests): self-attention with q and k projected, RMS-normed in fp32
/// and k's fp32 temporaries alive, or the FFN's hidden layer, whichever is larger. Attention runs through fused
/// kernels that keep no [heads, L, L] score matrix, so heads only enter through C = heads · head_dim.
/// </summary>
public static class DitActivations
{
    /// <param name="tokens">L = (F/pt)·(H/ph)·(W/pw)</param>
    /// <param name="batch">2 when guidance runs both prompts in one forward</param>
    public static long PeakBytes(WanConfig config, long tokens, int batch, ScalarType computeType)
    {
        long e = computeType == ScalarType.Float32 ? 4 : 2;
        long rows = batch * tokens;
        long stream = rows * config.Dim * 4;
        // modulated input, q, k, the raw projection being normed, its fp32 copy (bf16 only) and the fp32 result, plus one
        // compute-dtype tensor of headroom: at 8,190 tokens and dim 512 the meter measured 22·C bytes a token in bf16
        long attention = rows * config.Dim * (5 * e + (e == 4 ? 0 : 4) + 4);
        // modulated input, hidden layer, output
        long ffn = rows * (2L * config.Dim * e + (long)config.FfnDim * e);
        // embedded text and its compute-dtype copy in cross-attention, and the per-sample time tables
        long text = batch * (long)config.TextLen * config.Dim * (4 + 2 * e) + batch * 8L * config.Dim * 4;
        return stream + Math.Max(attention, ffn) + text;
    }

    /// <summary>The largest clip the API renders: 1280×720, one whole clip, on the published A14B architecture.</summary>
    public static long LargestClipTokens => SviArchitecture.Wan22A14B.ClipTokens(1280, 720);

    /// <summary>
    /// Device memory to keep free besides the weights: the DiT's peak at the largest clip in bf16, plus an allowance for
    /// the VAE decode (tiled, streamed frame by frame) and the allocator's slack. The allowance is not measured yet.
    /// </summary>
    public static long ReserveBytes(WanConfig config, int batch) =>
        PeakBytes(config, LargestClipTokens, batch, ScalarType.BFloat16) + VaeAndSlackBytes;

    /// <summary>VAE decode and allocator slack, an allowance (2 GiB).</summary>
    public const long VaeAndSlackBytes = 2L << 30;

}
