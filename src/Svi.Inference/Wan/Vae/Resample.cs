using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Spatial ×2 up- or downsampling per frame (<c>resample.1</c>, a Conv2d) with, in the 3-D modes, a causal
/// temporal convolution (<c>time_conv</c>): upsampling turns each frame into two from 2·C channels, downsampling
/// convolves with stride 2 over the previous chunk's last frame and this chunk. The very first chunk passes through
/// the temporal part unchanged, which is how T = 1 + 4k frames map onto 1 + k latent frames.
/// </summary>
public sealed class Resample : VaeBlock
{
    readonly ResampleMode mode;
    readonly TorchSharp.Modules.Conv2d conv;
    readonly CausalConv3d? time_conv;

    /// <param name="upsampleOutDim">Channels after an upsampling conv: dim / 2 in Wan 2.1, dim in Wan 2.2.</param>
    public Resample(long dim, ResampleMode mode, long? upsampleOutDim = null) : base(nameof(Resample))
    {
        this.mode = mode;
        bool up = mode is ResampleMode.Upsample2d or ResampleMode.Upsample3d;
        conv = up
            ? nn.Conv2d(dim, upsampleOutDim ?? dim, 3, padding: 1)
            : nn.Conv2d(dim, dim, 3, stride: 2);
        // Index 0 is the reference's Upsample / ZeroPad2d: no parameters.
        register_module("resample", new TorchSharp.Modules.ModuleList<nn.Module>(nn.Identity(), conv));
        time_conv = mode switch
        {
            ResampleMode.Upsample3d => new CausalConv3d(dim, dim * 2, (3, 1, 1), padding: (1, 0, 0)),
            ResampleMode.Downsample3d => new CausalConv3d(dim, dim, (3, 1, 1), stride: (2, 1, 1)),
            _ => null,
        };
        if (time_conv is not null) register_module("time_conv", time_conv);
    }

    // x: [B, C, T, H, W] → up: [B, C', T or 2T, 2H, 2W]; down: [B, C, T or ⌈T/2⌉, H/2, W/2]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        if (mode == ResampleMode.Upsample3d && cache is not null)
        {
            if (!cache.TryGet(this, out _))
                cache.Store(this, null);
            else
                x = InterleaveFramePairs(time_conv!.forward(x, cache));
        }

        long t = x.shape[2];
        var images = x.FramesAsImages();
        images = mode is ResampleMode.Upsample2d or ResampleMode.Upsample3d
            ? ChannelAlignedConvolution.Conv2d(nn.functional.interpolate(images, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest),
                conv.weight, conv.bias, [1, 1], [1, 1])
            : ChannelAlignedConvolution.Conv2d(nn.functional.pad(images, [0, 1, 0, 1]), conv.weight, conv.bias, [2, 2], [0, 0]);
        x = images.ImagesAsFrames(t);

        if (mode == ResampleMode.Downsample3d && cache is not null)
        {
            var last = x.LastFrames(1).clone();
            if (cache.TryGet(this, out var previous))
                x = time_conv!.forward(cat([previous!.LastFrames(1), x], 2), null);
            cache.Store(this, last);
        }
        return x.MoveToOuterDisposeScope();
    }

    // [B, 2C, T, H, W] (both output frames of each input frame in the channels) → [B, C, 2T, H, W]
    static Tensor InterleaveFramePairs(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1] / 2, t = x.shape[2], h = x.shape[3], w = x.shape[4];
        return x.reshape(b, 2, c, t, h, w).permute(0, 2, 3, 1, 4, 5).reshape(b, c, t * 2, h, w);
    }
}
