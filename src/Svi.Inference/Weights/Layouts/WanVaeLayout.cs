using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Weights.Layouts;

/// <summary>
/// Anchor tensors of a Wan video VAE, computed from its <see cref="WanVaeConfig"/> under
/// <see cref="Wan.WanVae"/>'s parameter names: the encoder stem and head, the latent 1×1 convolutions, and the
/// decoder stem and head. They tell the Wan 2.1 VAE (z_dim 16) apart from the Wan 2.2 VAE (z_dim 48) and from an
/// image VAE without listing every convolution.
/// </summary>
public static class WanVaeLayout
{
    public static Dictionary<string, long[]> Tensors(WanVaeConfig config)
    {
        long z = config.ZDim;
        long encoderTop = (long)config.Dim * config.DimMult[^1];
        long decoderTop = (long)config.DecoderDim * config.DimMult[^1];
        long decoderBottom = (long)config.DecoderDim * config.DimMult[0];
        return new(StringComparer.Ordinal)
        {
            ["encoder.conv1.weight"] = [(long)config.Dim * config.DimMult[0], 3, 3, 3, 3],
            ["encoder.head.2.weight"] = [2 * z, encoderTop, 3, 3, 3],
            ["conv1.weight"] = [2 * z, 2 * z, 1, 1, 1],
            ["conv2.weight"] = [z, z, 1, 1, 1],
            ["decoder.conv1.weight"] = [decoderTop, z, 3, 3, 3],
            ["decoder.head.2.weight"] = [3, decoderBottom, 3, 3, 3],
        };
    }

    public static TensorLayout Layout(WanVaeConfig config) => new("wan21-vae", Tensors(config), KeyLayout.Known, RejectUnknownKeys: false);
}
