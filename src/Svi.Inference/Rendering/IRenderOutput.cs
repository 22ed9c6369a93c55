namespace Svi.Inference.Rendering;

/// <summary>
/// Where a render's clips go: the frames of each clip, plus what a render asks of the stored output beyond frames.
/// The server's implementation encodes with FFmpeg into the work directory; Inference never reads media files.
/// </summary>
public interface IRenderOutput : IFrameSink
{
    /// <summary>Drops the output of an earlier, different run in the work directory.</summary>
    void Reset();

    /// <summary>
    /// An extension of a finished generation: its first <paramref name="clips"/> clips, already encoded in
    /// <paramref name="sourceDirectory"/>, become this output's first clips (and its thumbnail this output's).
    /// Throws <see cref="RenderFailedException"/> when one is missing.
    /// </summary>
    void AdoptSourceClips(string sourceDirectory, int clips);

    /// <summary>
    /// Clip <paramref name="clip"/>'s frames (each <paramref name="width"/> × <paramref name="height"/>) handed over in order a
    /// piece at a time, so a long clip never sits in memory whole: an uploaded video at 32 fps, interpolated as it is read.
    /// </summary>
    void AcceptInPieces(int clip, int width, int height, IEnumerable<RgbFrames> pieces);

    /// <summary>The anchor frame a text-to-video render generated (one frame), kept beside the video.</summary>
    void AnchorFrameMade(RgbFrames frame);
}
