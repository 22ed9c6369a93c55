using Svi.Inference.Rendering;

namespace Svi.Inference.Tests.Rendering;

/// <summary>
/// An uploaded video in memory, handed over in pieces of at most <see cref="PieceFrames"/> frames (the server's hands a
/// clip's length). <see cref="Source"/> is the source folder's output holding it as clip 0, as the server encodes it.
/// </summary>
public sealed class UploadInMemory(RgbFrames frames) : IUploadedClip
{
    public int PieceFrames { get; init; } = 3;

    public int Frames => frames.Count;

    public RecordingRenderOutput Source
    {
        get
        {
            var source = new RecordingRenderOutput();
            source.Accept(0, frames);
            return source;
        }
    }

    public RgbFrames Last(int count) => frames.Slice(frames.Count - count, count);

    public IEnumerable<RgbFrames> Pieces(int at)
    {
        int size = Math.Min(at, PieceFrames);
        for (int first = 0; first < frames.Count; first += size) yield return frames.Slice(first, Math.Min(size, frames.Count - first));
    }
}
