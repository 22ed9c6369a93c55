using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// A render's output at 32 fps: every clip goes through an <see cref="InterpolatingFrameSink"/> into
/// <paramref name="inner"/>. An extension of a 32 fps video adopts its source's kept seam frames with its clips, so
/// the seam after the last adopted clip is interpolated as in an uninterrupted run; an uploaded video is interpolated
/// as it is adopted. A rendered clip's doubled frames go to <paramref name="encoder"/> when one is given (the same
/// output, watched), else to <paramref name="inner"/>.
/// </summary>
public sealed class InterpolatingRenderOutput(IRenderOutput inner, IFrameInterpolator interpolator, SeamFrames seams,
    IFrameSink? encoder = null) : IRenderOutput
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext<InterpolatingRenderOutput>();
    readonly InterpolatingFrameSink sink = new(encoder ?? inner, interpolator, seams);

    public void Accept(int clip, RgbFrames frames) => sink.Accept(clip, frames);

    public void Reset()
    {
        seams.Clear();
        inner.Reset();
    }

    public void AdoptSourceClips(string sourceDirectory, int clips)
    {
        var source = new SeamFrames(new WorkDirectory(sourceDirectory).SeamFrames);
        // A source whose last clip was trimmed adopts one clip less and decodes the last again: it needs the seam before it.
        if (clips > 0 && source.Load(clips - 1) is { } last) seams.Save(clips - 1, last);
        inner.AdoptSourceClips(sourceDirectory, clips);
    }

    /// <summary>
    /// The upload's 16 fps frames are interpolated like a rendered clip 0 (2n − 1 frames), and its last frame is kept
    /// as clip 0's seam, so the first new clip begins with the middle frame between the upload and itself.
    /// </summary>
    public RgbFrames AdoptUpload(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames,
        Func<RgbFrames, RgbFrames>? interpolate)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var doubling = new PiecewiseFrameDoubling(interpolator);
        Func<RgbFrames, RgbFrames> doubled = interpolate is null ? doubling.Next : piece => interpolate(doubling.Next(piece));
        var tail = inner.AdoptUpload(sourceDirectory, width, height, uploadFrames, tailFrames, doubled);
        var last = doubling.Last ?? throw new InvalidOperationException("the output adopted the upload without handing its frames over to be interpolated");
        seams.Save(0, last);
        Log.Information("Upload: interpolated {Frames} frames to {Output} at 32 fps in {Seconds:F1} s", uploadFrames,
            FrameDoubling.DoubledCount(uploadFrames), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return tail;
    }

    public void AnchorFrameMade(RgbFrames frame) => inner.AnchorFrameMade(frame);
}
