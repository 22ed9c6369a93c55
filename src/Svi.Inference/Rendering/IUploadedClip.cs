namespace Svi.Inference.Rendering;

/// <summary>
/// An uploaded video an extension continues, as the server made it before the render: resampled to 16 fps, cropped to
/// the video size and encoded as its source folder's clip 0 (with the thumbnail), so the output adopts it like a
/// source generation's clip. The render reads its frames through this and never opens the file.
/// </summary>
public interface IUploadedClip
{
    /// <summary>Its frames at 16 fps, counted when it was accepted.</summary>
    int Frames { get; }

    /// <summary>Its last <paramref name="count"/> frames.</summary>
    RgbFrames Last(int count);

    /// <summary>Every frame in order, in pieces of at most <paramref name="frames"/>, decoded as they are taken.</summary>
    IEnumerable<RgbFrames> Pieces(int frames);
}
