using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Conformance.Ti2v5bVae;

/// <summary>
/// The Wan 2.2 VAE (Wan2.2_VAE.pth, z = 48) of TI2V-5B: pixels are patchified 2×2 into 12 channels before an
/// 8× encoder, so a latent cell covers 16×16 pixels and 4 frames. Checkpoint keys: <c>encoder.*</c>,
/// <c>conv1.*</c>, <c>conv2.*</c>, <c>decoder.*</c>.
/// </summary>
public sealed class WanVae22 : WanVideoVae
{
    const int Patch = 2;

    readonly Wan22Encoder3d encoder;
    readonly CausalConv3d conv1;
    readonly CausalConv3d conv2;
    readonly Wan22Decoder3d decoder;

    public WanVae22(WanVaeConfig config) : base(nameof(WanVae22), config)
    {
        encoder = new Wan22Encoder3d(config);
        conv1 = new CausalConv3d(config.ZDim * 2L, config.ZDim * 2L, 1);
        conv2 = new CausalConv3d(config.ZDim, config.ZDim, 1);
        decoder = new Wan22Decoder3d(config);
        register_module("encoder", encoder);
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_module("decoder", decoder);
        SpatialStride = Patch << (config.DimMult.Length - 1);
    }

    public override int SpatialStride { get; }

    protected override nn.Module<Tensor, FeatureCache?, Tensor> EncoderNet => encoder;
    protected override nn.Module<Tensor, FeatureCache?, Tensor> DecoderNet => decoder;
    protected override CausalConv3d PosteriorConv => conv1;
    protected override CausalConv3d LatentConv => conv2;

    // [B, C, T, H, W] → [B, 4C, T, H/2, W/2]; channel = c·4 + column offset·2 + row offset
    protected override Tensor ToEncoderInput(Tensor pixels)
    {
        long b = pixels.shape[0], c = pixels.shape[1], t = pixels.shape[2], h = pixels.shape[3] / Patch, w = pixels.shape[4] / Patch;
        return pixels.reshape(b, c, t, h, Patch, w, Patch)
            .permute(0, 1, 6, 4, 2, 3, 5)
            .reshape(b, c * Patch * Patch, t, h, w);
    }

    // [B, 4C, T, h, w] → [B, C, T, 2h, 2w]
    protected override Tensor FromDecoderOutput(Tensor output)
    {
        long b = output.shape[0], c = output.shape[1] / (Patch * Patch), t = output.shape[2], h = output.shape[3], w = output.shape[4];
        return output.reshape(b, c, Patch, Patch, t, h, w)
            .permute(0, 1, 4, 5, 3, 6, 2)
            .reshape(b, c, t, h * Patch, w * Patch);
    }

    /// <summary>Builds the VAE (the real model's config unless given) and loads a checkpoint with official key names.</summary>
    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">keys are missing, extra or mis-shaped.</exception>
    public static WanVae22 Load(string checkpointPath, WanVaeConfig? config = null, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var vae = new WanVae22(config ?? WanVaeConfig.Wan22);
        // Detects the key layout (official, Comfy prefix) and reads sharded files; FP8 weights are decoded.
        CheckpointLoader.Load(vae, checkpointPath, new WeightLoadOptions(KeepFp8: false));
        vae.to(dtype);
        if (device is not null) vae.to(device);
        return vae;
    }
}
