using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A 3-D convolution that only looks back in time: the 2·p_t frames of temporal padding all go before the
/// clip, and in chunked passes they are the previous chunk's last frames (from the <see cref="FeatureCache"/>)
/// instead of zeros. Spatial padding is the usual symmetric zero padding.
/// </summary>
public sealed class CausalConv3d : VaeBlock
{
    /// <summary>Frames of input a causal convolution keeps for the next chunk (the reference's CACHE_T).</summary>
    public const int CachedFrames = 2;

    readonly long[] stride;
    readonly long[] spatialPadding;
    readonly long causalPadding;

#pragma warning disable IDE1006 // names are the checkpoint's key names
    public TorchSharp.Modules.Parameter weight;
    public TorchSharp.Modules.Parameter bias;
#pragma warning restore IDE1006

    public CausalConv3d(long inChannels, long outChannels, (long T, long H, long W) kernel,
        (long T, long H, long W)? stride = null, (long T, long H, long W)? padding = null)
        : base(nameof(CausalConv3d))
    {
        var s = stride ?? (1, 1, 1);
        var p = padding ?? (0, 0, 0);
        this.stride = [s.T, s.H, s.W];
        spatialPadding = [0, p.H, p.W];
        causalPadding = 2 * p.T;
        weight = nn.Parameter(empty([outChannels, inChannels, kernel.T, kernel.H, kernel.W]), requires_grad: false);
        bias = nn.Parameter(zeros(outChannels), requires_grad: false);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    public CausalConv3d(long inChannels, long outChannels, long kernel, long padding = 0)
        : this(inChannels, outChannels, (kernel, kernel, kernel), padding: (padding, padding, padding)) { }

    // x: [B, Cin, T, H, W] → [B, Cout, T', H', W']; with a cache, T' counts this chunk's frames only
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        if (cache is null || causalPadding == 0) return Convolve(x, null);
        using var scope = NewDisposeScope();
        cache.TryGet(this, out var previous);
        var carried = x.LastFrames(CachedFrames).clone();
        if (carried.shape[2] < CachedFrames && previous is not null)
            carried = cat([previous.LastFrames(1), carried], 2);
        var y = Convolve(x, previous);
        cache.Store(this, carried);
        return y.MoveToOuterDisposeScope();
    }

    Tensor Convolve(Tensor x, Tensor? previous)
    {
        using var scope = NewDisposeScope();
        long zeroFrames = causalPadding;
        var parts = new List<Tensor>(3);
        if (previous is not null && causalPadding > 0)
            zeroFrames -= previous.shape[2];
        if (zeroFrames > 0)
            parts.Add(zeros([x.shape[0], x.shape[1], zeroFrames, x.shape[3], x.shape[4]], dtype: x.dtype, device: x.device));
        if (previous is not null && causalPadding > 0) parts.Add(previous.to(x.device));
        var input = parts.Count == 0 ? x : cat([.. parts, x], 2);
        var y = ChannelAlignedConvolution.Conv3d(input, weight, bias, stride, spatialPadding);
        return y.MoveToOuterDisposeScope();
    }
}
