using System.Text.Json;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// The constructor numbers of a Wan video VAE (official names: dim, dec_dim, z_dim, dim_mult, num_res_blocks,
/// attn_scales, temperal_downsample), the per-channel latent statistics used to normalise the posterior mean, and
/// which of the two Wan VAE designs it is (<see cref="WanVaeGeneration"/>).
/// </summary>
public sealed record WanVaeConfig(
    int Dim,
    int DecoderDim,
    int ZDim,
    int[] DimMult,
    int NumResBlocks,
    double[] AttnScales,
    bool[] TemperalDownsample,
    float[] Mean,
    float[] Std,
    WanVaeGeneration Generation = WanVaeGeneration.Wan21)
{
    /// <summary>Pixels per side folded into channels before the encoder (and unfolded after the decoder).</summary>
    public int PixelPatch => Generation == WanVaeGeneration.Wan22 ? 2 : 1;

    /// <summary>Channels the encoder takes and the decoder gives: RGB, times the pixel patch.</summary>
    public int PixelChannels => 3 * PixelPatch * PixelPatch;

    /// <summary>Pixels per latent cell along each spatial axis: the pixel patch, then one 2× downsampling between successive stages.</summary>
    public int SpatialStride => PixelPatch << (DimMult.Length - 1);

    /// <summary>The decoder's temporal upsampling mirrors the encoder's downsampling.</summary>
    public bool[] TemperalUpsample => TemperalDownsample.Reverse().ToArray();

    /// <summary>Wan2.1_VAE.pth: the VAE of every Wan 2.1 model and of Wan 2.2 A14B.</summary>
    public static WanVaeConfig Wan21 { get; } = new(
        Dim: 96, DecoderDim: 96, ZDim: 16, DimMult: [1, 2, 4, 4], NumResBlocks: 2, AttnScales: [],
        TemperalDownsample: [false, true, true],
        Mean: [-0.7571f, -0.7089f, -0.9113f, 0.1075f, -0.1745f, 0.9653f, -0.1517f, 1.5508f,
               0.4134f, -0.0715f, 0.5517f, -0.3632f, -0.1922f, -0.9497f, 0.2503f, -0.2921f],
        Std: [2.8184f, 1.4541f, 2.3275f, 2.6558f, 1.2196f, 1.7708f, 2.6052f, 2.0743f,
              3.2687f, 2.1526f, 2.8652f, 1.5579f, 1.6382f, 1.1253f, 2.8251f, 1.9160f]);

    /// <summary>Wan2.2_VAE.pth: the 16×16×4 VAE of Wan 2.2 TI2V-5B.</summary>
    public static WanVaeConfig Wan22 { get; } = new(
        Dim: 160, DecoderDim: 256, ZDim: 48, DimMult: [1, 2, 4, 4], NumResBlocks: 2, AttnScales: [],
        TemperalDownsample: [false, true, true],
        Mean: [-0.2289f, -0.0052f, -0.1323f, -0.2339f, -0.2799f, 0.0174f, 0.1838f, 0.1557f,
               -0.1382f, 0.0542f, 0.2813f, 0.0891f, 0.1570f, -0.0098f, 0.0375f, -0.1825f,
               -0.2246f, -0.1207f, -0.0698f, 0.5109f, 0.2665f, -0.2108f, -0.2158f, 0.2502f,
               -0.2055f, -0.0322f, 0.1109f, 0.1567f, -0.0729f, 0.0899f, -0.2799f, -0.1230f,
               -0.0313f, -0.1649f, 0.0117f, 0.0723f, -0.2839f, -0.2083f, -0.0520f, 0.3748f,
               0.0152f, 0.1957f, 0.1433f, -0.2944f, 0.3573f, -0.0548f, -0.1681f, -0.0667f],
        Std: [0.4765f, 1.0364f, 0.4514f, 1.1677f, 0.5313f, 0.4990f, 0.4818f, 0.5013f,
              0.8158f, 1.0344f, 0.5894f, 1.0901f, 0.6885f, 0.6165f, 0.8454f, 0.4978f,
              0.5759f, 0.3523f, 0.7135f, 0.6804f, 0.5833f, 1.4146f, 0.8986f, 0.5659f,
              0.7069f, 0.5338f, 0.4889f, 0.4917f, 0.4069f, 0.4999f, 0.6866f, 0.4093f,
              0.5709f, 0.6065f, 0.6415f, 0.4944f, 0.5726f, 1.2042f, 0.5458f, 1.6887f,
              0.3971f, 1.0600f, 0.3943f, 0.5537f, 0.5444f, 0.4089f, 0.7468f, 0.7744f],
        Generation: WanVaeGeneration.Wan22);

    /// <summary>
    /// Reads a config.json in the official names. Every key is required except <c>dec_dim</c>, which the Wan 2.1
    /// VAE does not have (its decoder uses <c>dim</c>).
    /// </summary>
    public static WanVaeConfig FromJson(JsonElement json)
    {
        int dim = Required(json, "dim").GetInt32();
        var config = new WanVaeConfig(
            Dim: dim,
            DecoderDim: json.TryGetProperty("dec_dim", out var decDim) ? decDim.GetInt32() : dim,
            ZDim: Required(json, "z_dim").GetInt32(),
            DimMult: Required(json, "dim_mult").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            NumResBlocks: Required(json, "num_res_blocks").GetInt32(),
            AttnScales: Required(json, "attn_scales").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            TemperalDownsample: Required(json, "temperal_downsample").EnumerateArray().Select(e => e.GetBoolean()).ToArray(),
            Mean: Required(json, "mean").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
            Std: Required(json, "std").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        if (config.Mean.Length != config.ZDim || config.Std.Length != config.ZDim)
            throw new InvalidDataException(
                $"VAE config: mean has {config.Mean.Length} and std {config.Std.Length} values, z_dim is {config.ZDim}");
        return config;
    }

    public static WanVaeConfig FromFile(string configJsonPath)
        => FromJson(JsonDocument.Parse(File.ReadAllText(configJsonPath)).RootElement);

    static JsonElement Required(JsonElement json, string key)
        => json.TryGetProperty(key, out var value)
            ? value
            : throw new InvalidDataException($"VAE config has no '{key}'");
}
