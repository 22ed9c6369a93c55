using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// A render's output at 32 fps: every clip goes through an <see cref="InterpolatingFrameSink"/> into
/// <paramref name="inner"/>. An extension of a 32 fps video adopts its source's kept seam frames with its clips, so
/// the seam after the last adopted clip is interpolated as in an uninterrupted run; a clip handed over in pieces
/// (an uploaded video) is interpolated as it is read. A rendered clip's doubled frames go to <paramref name="encoder"/> when one is given (the same
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
    /// A clip handed over in pieces (an uploaded video's 16 fps frames) is interpolated piece by piece as if whole
    /// (2n − 1 frames), and its last frame is kept as its seam, so the next clip begins with the middle frame between the
    /// two.
    /// </summary>
    public void AcceptInPieces(int clip, int width, int height, IEnumerable<RgbFrames> pieces)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var doubling = new PiecewiseFrameDoubling(interpolator);
        int frames = 0;
        inner.AcceptInPieces(clip, width, height, pieces.Select(piece =>
        {
            frames += piece.Count;
            return doubling.Next(piece);
        }));
        var last = doubling.Last ?? throw new InvalidOperationException($"clip {clip} was handed over without a frame");
        seams.Save(clip, last);
        Log.Information("Clip {Clip}: interpolated {Frames} frames to {Output} at 32 fps in {Seconds:F1} s", clip, frames,
            FrameDoubling.DoubledCount(frames), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public void AnchorFrameMade(RgbFrames frame) => inner.AnchorFrameMade(frame);
}
