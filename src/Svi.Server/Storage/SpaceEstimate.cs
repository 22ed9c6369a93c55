using Svi.Inference.Pipeline;
using Svi.Server.Media;

namespace Svi.Server.Storage;

/// <summary>
/// The bytes a generation takes on the data volume at its peak, the rule docs/deploy.md states (section "Disk space"):
/// <list type="bullet">
/// <item>the MP4: every frame it will have (whole clips, before the last is trimmed; twice as many at 32 fps) × width ×
/// height × bits per pixel at the encoder's quality (<see cref="VideoEncoding.ConstantRateFactor"/>), three times over,
/// because while <c>video.mp4</c> is joined the clip parts and <c>partial.mp4</c> are still on disk;</item>
/// <item>the latent checkpoints: the anchor latent, the motion latents and the last clip's whole latent, in float32 on
/// the latent grid of the A14B models' VAE (<see cref="SviArchitecture.Wan22A14B"/>: 16 channels, one cell per 8×8 pixels);</item>
/// <item>room for PostgreSQL: two WAL segments (16 MiB each by default), the first thing a full disk denies it.</item>
/// </list>
/// </summary>
public static class SpaceEstimate
{
    /// <summary>
    /// Generated footage at x264 CRF 18 (medium): an allowance, not measured here (no real weights on this machine):
    /// such footage usually takes 0.1 to 0.3 bits per pixel per frame, and busy scenes more.
    /// </summary>
    public const double BitsPerPixelAtCrf18 = 0.5;
    /// <summary>
    /// Random weights make noise, which x264 hardly compresses: clip 0 of an 832x480 video measured 2.8 bits per pixel
    /// at CRF 18 (11.4 MB of MPEG-TS for 81 frames, the tiny architecture), rounded up.
    /// </summary>
    public const double RandomWeightsBitsPerPixelAtCrf18 = 3.5;
    public const long DatabaseRoomBytes = 2L * 16 * 1024 * 1024;

    public static long Bytes(int width, int height, double seconds, int fps, bool randomWeights, VideoEncoding encoding)
    {
        // An upload's extension may be shorter than one clip (its length is the upload's frames plus the new clips'):
        // it still takes whole clips on disk.
        var plan = ClipPlanner.ForDuration(Math.Clamp(seconds, ClipPlanner.MinDurationSeconds, ClipPlanner.MaxDurationSeconds));
        long frames = (long)plan.StitchedFrames * fps / ClipPlanner.Fps;
        // x264's rule of thumb: six CRF steps halve or double the bitrate.
        double bitsPerPixel = (randomWeights ? RandomWeightsBitsPerPixelAtCrf18 : BitsPerPixelAtCrf18)
            * Math.Pow(2, (18 - encoding.ConstantRateFactor) / 6.0);
        long mp4 = (long)Math.Ceiling(frames * (double)width * height * bitsPerPixel / 8);
        var vae = SviArchitecture.Wan22A14B.Vae;
        long latentFrame = (long)vae.ZDim * (width / vae.SpatialStride) * (height / vae.SpatialStride) * sizeof(float);
        long latents = (2L * plan.LatentFramesPerClip + 1) * latentFrame;
        return 3 * mp4 + latents + DatabaseRoomBytes;
    }
}
