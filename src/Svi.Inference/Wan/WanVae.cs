using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights;
using TorchSharp;

namespace Svi.Inference.Wan;

/// <summary>
/// The Wan video VAE. With <see cref="WanVaeConfig.Wan21"/>: Wan2.1_VAE.pth (z = 16, 8×8 spatial and 4× temporal
/// compression), used by Wan 2.2 A14B and SVI. With <see cref="WanVaeConfig.Wan22"/>: Wan2.2_VAE.pth of TI2V-5B
/// (z = 48), whose pixels are folded 2×2 into 12 channels before an 8× encoder, so a latent cell covers 16×16 pixels
/// (checked by the conformance runs only). Checkpoint keys: <c>encoder.*</c>, <c>conv1.*</c>, <c>conv2.*</c>, <c>decoder.*</c>.
/// </summary>
public sealed class WanVae : WanVideoVae
{
    readonly Encoder3d encoder;
    readonly CausalConv3d conv1;
    readonly CausalConv3d conv2;
    readonly Decoder3d decoder;

    public WanVae(WanVaeConfig config) : base(nameof(WanVae), config)
    {
        encoder = new Encoder3d(config);
        conv1 = new CausalConv3d(config.ZDim * 2L, config.ZDim * 2L, 1);
        conv2 = new CausalConv3d(config.ZDim, config.ZDim, 1);
        decoder = new Decoder3d(config);
        register_module("encoder", encoder);
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_module("decoder", decoder);
    }

    protected override VaeBlock EncoderNet => encoder;
    protected override VaeBlock DecoderNet => decoder;
    protected override CausalConv3d PosteriorConv => conv1;
    protected override CausalConv3d LatentConv => conv2;

    // [B, C, T, H, W] → [B, C·p², T, H/p, W/p]; channel = c·p² + column offset·p + row offset
    protected override Tensor ToEncoderInput(Tensor pixels)
    {
        int p = Config.PixelPatch;
        if (p == 1) return pixels;
        long b = pixels.shape[0], c = pixels.shape[1], t = pixels.shape[2], h = pixels.shape[3] / p, w = pixels.shape[4] / p;
        return pixels.reshape(b, c, t, h, p, w, p).permute(0, 1, 6, 4, 2, 3, 5).reshape(b, c * p * p, t, h, w);
    }

    // [B, C·p², T, h, w] → [B, C, T, h·p, w·p]
    protected override Tensor FromDecoderOutput(Tensor output)
    {
        int p = Config.PixelPatch;
        if (p == 1) return output;
        long b = output.shape[0], c = output.shape[1] / (p * p), t = output.shape[2], h = output.shape[3], w = output.shape[4];
        return output.reshape(b, c, p, p, t, h, w).permute(0, 1, 4, 5, 3, 6, 2).reshape(b, c, t, h * p, w * p);
    }

    /// <summary>Builds the VAE (the real model's config unless given) and loads a checkpoint with official key names.</summary>
    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">keys are missing, extra or mis-shaped.</exception>
    public static WanVae Load(string checkpointPath, WanVaeConfig? config = null, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var vae = new WanVae(config ?? WanVaeConfig.Wan21);
        // Detects the key layout (official, Comfy prefix) and reads sharded files; FP8 weights are decoded.
        CheckpointLoader.Load(vae, checkpointPath, new WeightLoadOptions(KeepFp8: false));
        vae.to(dtype);
        if (device is not null) vae.to(device);
        return vae;
    }
}
