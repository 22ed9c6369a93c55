namespace Svi.Server.Models.Layouts;

/// <summary>
/// Anchor tensors of the Wan 2.1 VAE (base 96 channels, multipliers 1,2,4,4, z_dim 16) that tell it apart from
/// the Wan 2.2 VAE (z_dim 48) and from an image VAE: the encoder stem and head, the latent 1×1 convolutions,
/// and the decoder stem and head.
/// </summary>
public static class WanVaeLayout
{
    public const int ZDim = 16, BaseDim = 96;

    public static Dictionary<string, long[]> Tensors() => new(StringComparer.Ordinal)
    {
        ["encoder.conv1.weight"] = [BaseDim, 3, 3, 3, 3],
        ["encoder.head.2.weight"] = [2 * ZDim, 4 * BaseDim, 3, 3, 3],
        ["conv1.weight"] = [2 * ZDim, 2 * ZDim, 1, 1, 1],
        ["conv2.weight"] = [ZDim, ZDim, 1, 1, 1],
        ["decoder.conv1.weight"] = [4 * BaseDim, ZDim, 3, 3, 3],
        ["decoder.head.2.weight"] = [3, BaseDim, 3, 3, 3],
    };

    public static TensorLayout Layout() => new("wan21-vae", Tensors(), false, _ => true);
}
