using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Single-head self-attention over the pixels of each frame separately (frames never attend to each other, so it
/// needs no cache). Checkpoint layout: <c>norm.gamma</c>, <c>to_qkv</c> and <c>proj</c> (1×1 Conv2d).
/// </summary>
public sealed class AttentionBlock : VaeBlock
{
    readonly VaeRmsNorm norm;
    readonly TorchSharp.Modules.Conv2d to_qkv;
    readonly TorchSharp.Modules.Conv2d proj;

    public AttentionBlock(long dim) : base(nameof(AttentionBlock))
    {
        norm = new VaeRmsNorm(dim, images: true);
        to_qkv = nn.Conv2d(dim, dim * 3, 1);
        proj = nn.Conv2d(dim, dim, 1);
        register_module("norm", norm);
        register_module("to_qkv", to_qkv);
        register_module("proj", proj);
    }

    // x: [B, C, T, H, W] → [B, C, T, H, W]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        long c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var images = x.FramesAsImages();
        long n = images.shape[0];
        var qkv = PointwiseConv(to_qkv, norm.forward(images))
            .reshape(n, 1, c * 3, h * w).permute(0, 1, 3, 2).contiguous()
            .chunk(3, dim: -1);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
        var y = PointwiseConv(proj, attended.squeeze(1).permute(0, 2, 1).reshape(n, c, h, w));
        var result = y.ImagesAsFrames(t) + x;
        return result.MoveToOuterDisposeScope();
    }

    static Tensor PointwiseConv(TorchSharp.Modules.Conv2d conv, Tensor images) =>
        ChannelAlignedConvolution.Conv2d(images, conv.weight, conv.bias, [1, 1], [0, 0]);
}
