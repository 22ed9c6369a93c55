using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// The 16 → 32 fps frame schedule: a middle frame (timestep 0.5) between every two consecutive frames of the video.
/// Clip 0's n frames become 2n − 1; every later clip's n frames become 2n, its first new frame being the middle
/// between the previous clip's last frame and its own first, so N frames in all become 2N − 1 with no seam left
/// uninterpolated.
/// </summary>
public static class FrameDoubling
{
    /// <summary>The output frames for one clip's frames.</summary>
    /// <param name="previousLast">the last frame the previous clip handed on; null for clip 0</param>
    public static RgbFrames Double(RgbFrames frames, byte[]? previousLast, IFrameInterpolator interpolator)
    {
        int count = frames.Count;
        if (count == 0) return frames;
        int outputCount = 2 * count - (previousLast is null ? 1 : 0);
        var output = new byte[outputCount * frames.FrameBytes];
        int written = 0;
        void Put(ReadOnlySpan<byte> frame) => frame.CopyTo(output.AsSpan(written++ * frames.FrameBytes));

        if (previousLast is { } before)
        {
            if (before.Length != frames.FrameBytes)
                throw new ArgumentException($"the previous clip's last frame has {before.Length} bytes; this clip's frames have {frames.FrameBytes}");
            Put(interpolator.Middle(before, frames.Frame(0).Span, frames.Width, frames.Height));
        }
        Put(frames.Frame(0).Span);
        for (int i = 1; i < count; i++)
        {
            Put(interpolator.Middle(frames.Frame(i - 1).Span, frames.Frame(i).Span, frames.Width, frames.Height));
            Put(frames.Frame(i).Span);
        }
        return new RgbFrames(frames.Width, frames.Height, output);
    }

    /// <summary>Frames a 16 fps video of <paramref name="frames"/> frames has at 32 fps.</summary>
    public static int DoubledCount(int frames) => frames == 0 ? 0 : 2 * frames - 1;
}
