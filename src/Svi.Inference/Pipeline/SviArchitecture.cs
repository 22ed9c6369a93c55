using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Pipeline;

/// <summary>The architectures a deployment's weight files are for (the published A14B models unless a test says otherwise).</summary>
public sealed record SviArchitecture(WanConfig I2v, WanConfig T2v, WanVaeConfig Vae, Umt5Config TextEncoder, int TextLength)
{
    public static SviArchitecture Wan22A14B { get; } =
        new(WanConfig.I2vA14B, WanConfig.T2vA14B, WanVaeConfig.Wan21, Umt5Config.Xxl, Umt5Tokenizer.WanTextLength);

    /// <summary>
    /// A video's width must be a multiple of this: the VAE's spatial stride times the DiT's patch width (of both
    /// experts), so that the latent grid divides into whole patches.
    /// </summary>
    public int WidthMultiple => Vae.SpatialStride * LeastCommonMultiple(I2v.PatchSize[2], T2v.PatchSize[2]);

    /// <summary>As <see cref="WidthMultiple"/>, along the height (the DiT's patch height).</summary>
    public int HeightMultiple => Vae.SpatialStride * LeastCommonMultiple(I2v.PatchSize[1], T2v.PatchSize[1]);

    /// <summary>
    /// Patch tokens of one clip of <paramref name="frames"/> frames for the image-to-video expert: latent frames
    /// (1 + (frames − 1) / temporal stride) over the patch depth, times the latent grid (the VAE's spatial stride) in
    /// patches.
    /// </summary>
    public long ClipTokens(int width, int height, int frames = ClipPlanner.FramesPerClip) =>
        (1 + (frames - 1) / (long)ClipPlanner.TemporalStride) / I2v.PatchSize[0]
        * (height / Vae.SpatialStride / I2v.PatchSize[1]) * (width / Vae.SpatialStride / I2v.PatchSize[2]);

    public bool CanRender(int width, int height) =>
        width > 0 && height > 0 && width % WidthMultiple == 0 && height % HeightMultiple == 0;

    static int LeastCommonMultiple(int a, int b)
    {
        int gcd = a, rest = b;
        while (rest != 0) (gcd, rest) = (rest, gcd % rest);
        return a / gcd * b;
    }
}
