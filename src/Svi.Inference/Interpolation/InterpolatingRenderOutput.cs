using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// A render's output at 32 fps: every clip goes through an <see cref="InterpolatingFrameSink"/> into
/// <paramref name="inner"/>. An extension of a 32 fps video adopts its source's kept seam frames with its clips, so
/// the seam after the last adopted clip is interpolated as in an uninterrupted run.
/// </summary>
public sealed class InterpolatingRenderOutput(IRenderOutput inner, IFrameInterpolator interpolator, SeamFrames seams) : IRenderOutput
{
    readonly InterpolatingFrameSink sink = new(inner, interpolator, seams);

    public void Accept(int clip, RgbFrames frames) => sink.Accept(clip, frames);

    public void Reset()
    {
        seams.Clear();
        inner.Reset();
    }

    public void AdoptSourceClips(string sourceDirectory, int clips)
    {
        var source = new SeamFrames(Path.Combine(sourceDirectory, SeamFrames.Folder));
        // A source whose last clip was trimmed adopts one clip less and decodes the last again: it needs the seam before it.
        if (clips > 0 && source.Load(clips - 1) is { } last) seams.Save(clips - 1, last);
        inner.AdoptSourceClips(sourceDirectory, clips);
    }

    /// <summary>Uploaded videos are continued at 16 fps (their part is the upload as it is), so this is not reached at 32.</summary>
    public RgbFrames AdoptUpload(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames) =>
        throw new RenderFailedException("invalid_extension", "An uploaded video is extended at 16 fps; fps 32 is not available for it.");

    public void AnchorFrameMade(RgbFrames frame) => inner.AnchorFrameMade(frame);
}
