using TorchSharp;

namespace Svi.Inference.Nn;

/// <summary>
/// 2-D and 3-D convolution that is exact on the CPU. libtorch 2.10's oneDNN convolutions on AVX-512 BF16 CPUs return
/// wrong values (relative error 0.1–0.3, or NaN) when a channel count is not a multiple of 16: in bf16 for any such
/// output count and for input counts such as 20, 24, 36, 40; in fp32 for 36 input channels at video sizes (see
/// docs/libtorch-onednn-conv.md). Zero channels added to reach a multiple of 16 change no output value, and with
/// them every kernel measured matches a float64 reference, so on the CPU the weight (and, where needed, the input)
/// is padded and the extra output channels are dropped. Float64 has no oneDNN kernel and other devices are not
/// affected: they run the plain convolution. Narrow convolutions, where padding would be most of the work, take exact
/// routes of their own: pointwise ones <see cref="PointwiseConvolution"/>, 3×3 ones <see cref="SpaceToDepthConvolution"/>.
/// </summary>
public static class ChannelAlignedConvolution
{
    /// <summary>Channel counts oneDNN handles correctly are multiples of this.</summary>
    public const long Alignment = 16;

    // x: [B, Cin, T, H, W], weight: [Cout, Cin, kt, kh, kw] → [B, Cout, T', H', W']
    // Narrow convolutions avoid most of the padding: pointwise ones as a matrix product, 3×3 ones folded.
    public static Tensor Conv3d(Tensor x, Tensor weight, Tensor? bias, long[] strides, long[] padding)
    {
        if (!NeedsAlignment(x.device_type, x.dtype, weight.shape[1], weight.shape[0]))
            return nn.functional.conv3d(x, weight, bias, strides: strides, padding: padding);
        if (PointwiseConvolution.Applies(weight, strides, padding))
            return PointwiseConvolution.Conv3d(x, weight, bias);
        if (SpaceToDepthConvolution.IsCheaper(x, weight, strides, padding, Alignment))
            return SpaceToDepthConvolution.Conv3d(x, weight, bias, strides, padding, PaddedConv3d);
        return PaddedConv3d(x, weight, bias, strides, padding);
    }

    static Tensor PaddedConv3d(Tensor x, Tensor weight, Tensor? bias, long[] strides, long[] padding) =>
        Run(x, weight, bias, (input, w, b) => nn.functional.conv3d(input, w, b, strides: strides, padding: padding));

    // x: [N, Cin, H, W], weight: [Cout, Cin, kh, kw] → [N, Cout, H', W']
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long[] strides, long[] padding)
    {
        if (!NeedsAlignment(x.device_type, x.dtype, weight.shape[1], weight.shape[0]))
            return nn.functional.conv2d(x, weight, bias, strides: strides, padding: padding);
        using var scope = NewDisposeScope();
        // As a convolution over one frame, so that the 3-D folded path serves it.
        var y = Conv3d(x.unsqueeze(2), weight.unsqueeze(2), bias, [1, .. strides], [0, .. padding]).squeeze(2);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Whether a convolution with these channel counts needs padding on <paramref name="device"/>.</summary>
    public static bool NeedsAlignment(DeviceType device, ScalarType dtype, long inChannels, long outChannels) =>
        device == DeviceType.CPU && dtype != ScalarType.Float64 &&
        (inChannels % Alignment != 0 || outChannels % Alignment != 0);

    static Tensor Run(Tensor x, Tensor weight, Tensor? bias, Func<Tensor, Tensor, Tensor?, Tensor> convolve)
    {
        long outChannels = weight.shape[0], inChannels = weight.shape[1];
        if (!NeedsAlignment(x.device_type, x.dtype, inChannels, outChannels)) return convolve(x, weight, bias);

        using var scope = NewDisposeScope();
        long inPad = Padding(inChannels), outPad = Padding(outChannels);
        var w = weight;
        var input = x;
        if (inPad > 0)
        {
            w = cat([w, zeros([w.shape[0], inPad, .. w.shape[2..]], dtype: w.dtype, device: w.device)], 1);
            input = cat([x, zeros([x.shape[0], inPad, .. x.shape[2..]], dtype: x.dtype, device: x.device)], 1);
        }
        var b = bias;
        if (outPad > 0)
        {
            w = cat([w, zeros([outPad, .. w.shape[1..]], dtype: w.dtype, device: w.device)], 0);
            if (b is not null) b = cat([b, zeros(outPad, dtype: b.dtype, device: b.device)]);
        }
        var y = convolve(input, w, b);
        if (outPad > 0) y = y.narrow(1, 0, outChannels).contiguous();
        return y.MoveToOuterDisposeScope();
    }

    static long Padding(long channels) => (Alignment - channels % Alignment) % Alignment;
}
