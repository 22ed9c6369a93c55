namespace Svi.Inference.Nn;

/// <summary>
/// A stride-1 convolution with a 3×3 spatial kernel (padding 1), computed on a 2×2 space-to-depth fold of its input:
/// each 2×2 block of pixels becomes one cell with four times the channels, the kernel becomes the 3×3 kernel over
/// cells that reproduces every original tap (the others are zeros), and the output is unfolded back. The sums are the
/// original convolution's products plus zeros, so the values are the same to rounding.
/// <para>
/// Why: on the CPU every convolution runs with channel counts padded to a multiple of 16
/// (<see cref="ChannelAlignedConvolution"/>), so a 4-channel convolution pays for 16×16 channels at every pixel. Folded,
/// it has 16 real channels on a quarter of the pixels: a quarter of the work. This is what makes full-resolution
/// convolutions of narrow VAEs (the tiny random architecture) affordable on a CPU; wide ones gain nothing and keep the
/// plain path (<see cref="IsCheaper"/>).
/// </para>
/// </summary>
public static class SpaceToDepthConvolution
{
    const long Fold = 2;

    /// <summary>
    /// Whether folding applies to this convolution ([B, C, T, H, W] input, [Cout, Cin, kt, 3, 3] weight, spatial stride 1
    /// and padding 1, even H and W) and needs fewer multiply-adds than padding the channels to <paramref name="alignment"/>.
    /// </summary>
    public static bool IsCheaper(Tensor x, Tensor weight, long[] strides, long[] padding, long alignment)
    {
        if (x.dim() != 5 || weight.shape[3] != 3 || weight.shape[4] != 3) return false;
        if (strides[1] != 1 || strides[2] != 1 || padding[1] != 1 || padding[2] != 1) return false;
        if (x.shape[3] % Fold != 0 || x.shape[4] % Fold != 0) return false;
        long outChannels = weight.shape[0], inChannels = weight.shape[1], cells = Fold * Fold;
        long plain = Aligned(inChannels, alignment) * Aligned(outChannels, alignment) * cells;
        long folded = Aligned(inChannels * cells, alignment) * Aligned(outChannels * cells, alignment);
        return folded < plain;
    }

    // x: [B, Cin, T, H, W], weight: [Cout, Cin, kt, 3, 3] → [B, Cout, T', H, W]; convolve runs the folded convolution
    // (input, weight, bias, padding) with stride (strides[0], 1, 1)
    public static Tensor Conv3d(Tensor x, Tensor weight, Tensor? bias, long[] strides, long[] padding,
        Func<Tensor, Tensor, Tensor?, long[], long[], Tensor> convolve)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], channels = x.shape[1], frames = x.shape[2], height = x.shape[3], width = x.shape[4];
        var folded = x.view(batch, channels, frames, height / Fold, Fold, width / Fold, Fold)
            .permute(0, 1, 4, 6, 2, 3, 5)
            .reshape(batch, channels * Fold * Fold, frames, height / Fold, width / Fold);
        var foldedBias = bias?.repeat_interleave(Fold * Fold);
        var y = convolve(folded, FoldWeight(weight), foldedBias, [strides[0], 1, 1], [padding[0], 1, 1]);

        long outChannels = weight.shape[0], outFrames = y.shape[2];
        var unfolded = y.view(batch, outChannels, Fold, Fold, outFrames, height / Fold, width / Fold)
            .permute(0, 1, 4, 5, 2, 6, 3)
            .reshape(batch, outChannels, outFrames, height, width);
        return unfolded.MoveToOuterDisposeScope();
    }

    // [Cout, Cin, kt, 3, 3] → [Cout·4, Cin·4, kt, 3, 3]; folded channel = channel·4 + row phase·2 + column phase
    static Tensor FoldWeight(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var select = TapSelection(weight.device);
        // w'[o, q, r, i, p, s, t, d, e] = Σ_ab w[o, i, t, a, b] · S[q, p, d, a] · S[r, s, e, b]; exactly one term is non-zero
        var folded = einsum("oitab,qpda,rseb->oqripstde", weight.to(ScalarType.Float32), select, select);
        long outChannels = weight.shape[0], inChannels = weight.shape[1], cells = Fold * Fold;
        return folded.reshape(outChannels * cells, inChannels * cells, weight.shape[2], 3, 3).to(weight.dtype).MoveToOuterDisposeScope();
    }

    // S[q, p, d, a] = 1 when output phase q reads input phase p of the cell at offset d - 1 through kernel tap a:
    // the pixel distance 2(d - 1) + p - q must equal the tap's offset a - 1.
    static Tensor TapSelection(Device device)
    {
        var values = new float[Fold * Fold * 3 * 3];
        for (int q = 0; q < Fold; q++)
            for (int p = 0; p < Fold; p++)
                for (int d = 0; d < 3; d++)
                {
                    int a = (int)(Fold * (d - 1)) + p - q + 1;
                    if (a is >= 0 and < 3) values[((q * Fold + p) * 3 + d) * 3 + a] = 1f;
                }
        return tensor(values, [Fold, Fold, 3, 3], device: device);
    }

    static long Aligned(long channels, long alignment) => (channels + alignment - 1) / alignment * alignment;
}
