using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// Renders at 32 fps: doubles each clip's 16 fps frames (<see cref="FrameDoubling"/>) as the clip arrives and hands
/// the result to <paramref name="inner"/>, so the partial video keeps growing clip by clip. The previous clip's last
/// frame comes from <paramref name="seams"/>, which outlives the process, so a resumed job or an extension pairs the
/// seam frames exactly as an uninterrupted run does.
/// </summary>
public sealed class InterpolatingFrameSink(IFrameSink inner, IFrameInterpolator interpolator, SeamFrames seams) : IFrameSink
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext<InterpolatingFrameSink>();

    public void Accept(int clip, RgbFrames frames)
    {
        byte[]? previous = null;
        if (clip > 0 && frames.Count > 0)
            previous = seams.Load(clip - 1) ?? throw new InvalidOperationException(
                $"{seams.PathOf(clip - 1)} is missing: clip {clip - 1}'s last frame was never kept, so the seam to clip {clip} cannot be interpolated");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var doubled = FrameDoubling.Double(frames, previous, interpolator);
        Log.Information("Clip {Clip}: interpolated {Frames} frames to {Output} at 32 fps in {Seconds:F1} s",
            clip, frames.Count, doubled.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (frames.Count > 0) seams.Save(clip, frames.Frame(frames.Count - 1).Span);
        inner.Accept(clip, doubled);
    }
}
