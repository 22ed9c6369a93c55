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
    /// An extension of an uploaded video: the upload in <paramref name="sourceDirectory"/>, resampled to 16 fps and cropped
    /// to <paramref name="width"/> × <paramref name="height"/>, becomes clip 0 of the output. Returns its last <paramref name="tailFrames"/>
    /// 16 fps frames; throws <see cref="RenderFailedException"/> when it no longer gives the <paramref name="uploadFrames"/> counted at upload.
    /// </summary>
    /// <param name="interpolate">
    /// null keeps the upload's 16 fps frames as they are; else clip 0 is what it makes of them, handed over in order a
    /// piece at a time (so a long upload never sits in memory whole), as a 32 fps render interpolates its own clips
    /// </param>
    RgbFrames AdoptUpload(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames,
        Func<RgbFrames, RgbFrames>? interpolate);

    /// <summary>The anchor frame a text-to-video render generated (one frame), kept beside the video.</summary>
    void AnchorFrameMade(RgbFrames frame);
}
