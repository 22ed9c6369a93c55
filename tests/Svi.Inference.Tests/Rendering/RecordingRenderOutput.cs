using Svi.Inference.Rendering;

namespace Svi.Inference.Tests.Rendering;

/// <summary>
/// A render output in memory: the frames of every clip it was given or adopted, by clip. Adopting a source's clips
/// takes them from the <see cref="RecordingRenderOutput"/> that recorded the source; a clip handed over in pieces is
/// recorded whole.
/// </summary>
public sealed class RecordingRenderOutput(RecordingRenderOutput? source = null) : IRenderOutput
{
    public SortedDictionary<int, RgbFrames> Clips { get; } = [];
    public List<RgbFrames> AnchorFrames { get; } = [];
    public int Resets { get; private set; }

    public void Accept(int clip, RgbFrames frames) => Clips[clip] = frames;

    public void Reset()
    {
        Resets++;
        Clips.Clear();
    }

    public void AdoptSourceClips(string sourceDirectory, int clips)
    {
        var adopted = source ?? throw new InvalidOperationException("no source output to adopt clips from");
        for (int clip = 0; clip < clips; clip++) Clips[clip] = adopted.Clips[clip];
    }

    public void AcceptInPieces(int clip, int width, int height, IEnumerable<RgbFrames> pieces) => Clips[clip] = Concat(pieces);

    static RgbFrames Concat(IEnumerable<RgbFrames> pieces)
    {
        var list = pieces.ToList();
        return new RgbFrames(list[0].Width, list[0].Height, list.SelectMany(p => p.Pixels).ToArray());
    }

    public void AnchorFrameMade(RgbFrames frame) => AnchorFrames.Add(frame);

    /// <summary>Every clip's frames in order, as one byte array.</summary>
    public byte[] Video => Clips.Values.SelectMany(c => c.Pixels).ToArray();
}
