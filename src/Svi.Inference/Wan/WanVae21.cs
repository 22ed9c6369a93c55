using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Wan;

/// <summary>
/// The Wan 2.1 VAE (Wan2.1_VAE.pth, z = 16, 8×8 spatial and 4× temporal compression), used by Wan 2.2 A14B and
/// SVI. Checkpoint keys: <c>encoder.*</c>, <c>conv1.*</c>, <c>conv2.*</c>, <c>decoder.*</c>.
/// </summary>
public sealed class WanVae21 : WanVideoVae
{
    readonly Encoder3d encoder;
    readonly CausalConv3d conv1;
    readonly CausalConv3d conv2;
    readonly Decoder3d decoder;

    public WanVae21(WanVaeConfig config) : base(nameof(WanVae21), config)
    {
        encoder = new Encoder3d(config);
        conv1 = new CausalConv3d(config.ZDim * 2L, config.ZDim * 2L, 1);
        conv2 = new CausalConv3d(config.ZDim, config.ZDim, 1);
        decoder = new Decoder3d(config);
        register_module("encoder", encoder);
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_module("decoder", decoder);
        SpatialStride = SpatialStrideOf(config);
    }

    public override int SpatialStride { get; }

    /// <summary>Pixels per latent cell along each spatial axis: one 2× downsampling between successive stages.</summary>
    public static int SpatialStrideOf(WanVaeConfig config) => 1 << (config.DimMult.Length - 1);

    protected override nn.Module<Tensor, FeatureCache?, Tensor> EncoderNet => encoder;
    protected override nn.Module<Tensor, FeatureCache?, Tensor> DecoderNet => decoder;
    protected override CausalConv3d PosteriorConv => conv1;
    protected override CausalConv3d LatentConv => conv2;

    /// <summary>Builds the VAE (the real model's config unless given) and loads a checkpoint with official key names.</summary>
    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">keys are missing, extra or mis-shaped.</exception>
    public static WanVae21 Load(string checkpointPath, WanVaeConfig? config = null, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var vae = new WanVae21(config ?? WanVaeConfig.Wan21);
        // Detects the key layout (official, Comfy prefix) and reads sharded files; FP8 weights are decoded.
        CheckpointLoader.Load(vae, checkpointPath, new WeightLoadOptions(KeepFp8: false));
        vae.to(dtype);
        if (device is not null) vae.to(device);
        return vae;
    }
}
