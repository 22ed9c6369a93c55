using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// <see cref="FrameDoubling"/> of one video that arrives in pieces (an upload decoded a chunk at a time): each piece
/// after the first starts with the middle frame between the previous piece's last frame and its own first, so the
/// pieces together give exactly the frames the whole video doubled at once would.
/// </summary>
public sealed class PiecewiseFrameDoubling(IFrameInterpolator interpolator)
{
    /// <summary>The last 16 fps frame handed in so far (the seam to whatever follows); null before the first.</summary>
    public byte[]? Last { get; private set; }

    public RgbFrames Next(RgbFrames piece)
    {
        var doubled = FrameDoubling.Double(piece, Last, interpolator);
        if (piece.Count > 0) Last = piece.Frame(piece.Count - 1).ToArray();
        return doubled;
    }
}
