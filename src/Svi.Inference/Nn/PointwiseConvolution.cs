namespace Svi.Inference.Nn;

/// <summary>
/// A 1×1×1 convolution computed as what it is, a linear map of each voxel's channels: the input is viewed channels-last,
/// multiplied by the [Cout, Cin] weight and viewed back. On the CPU, a narrow pointwise convolution (a VAE shortcut of
/// 2 → 4 channels at full resolution, say) padded to 16 channels (<see cref="ChannelAlignedConvolution"/>) costs about
/// ten times this matrix product.
/// </summary>
public static class PointwiseConvolution
{
    /// <summary>Whether the convolution is pointwise: a 1×1×1 kernel, stride 1 and no padding.</summary>
    public static bool Applies(Tensor weight, long[] strides, long[] padding) =>
        weight.dim() == 5 && weight.shape[2] == 1 && weight.shape[3] == 1 && weight.shape[4] == 1
        && strides.All(s => s == 1) && padding.All(p => p == 0);

    // x: [B, Cin, T, H, W], weight: [Cout, Cin, 1, 1, 1] → [B, Cout, T, H, W]
    public static Tensor Conv3d(Tensor x, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(x.permute(0, 2, 3, 4, 1), weight.flatten(1), bias);
        return y.permute(0, 4, 1, 2, 3).contiguous().MoveToOuterDisposeScope();
    }
}
