using Svi.Inference.Rendering;

namespace Svi.Inference.Tests.Rendering;

/// <summary>
/// A render output in memory: the frames of every clip it was given or adopted, by clip. Adopting a source's clips
/// takes them from the <see cref="RecordingRenderOutput"/> that recorded the source; an upload is whatever
/// <see cref="Upload"/> holds, handed to be interpolated in pieces of <see cref="UploadPieceFrames"/> frames.
/// </summary>
public sealed class RecordingRenderOutput(RecordingRenderOutput? source = null) : IRenderOutput
{
    public SortedDictionary<int, RgbFrames> Clips { get; } = [];
    public List<RgbFrames> AnchorFrames { get; } = [];
    public int Resets { get; private set; }
    public RgbFrames? Upload { get; init; }

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

    /// <summary>How many frames at a time an adopted upload is handed to be interpolated (the server's writer hands 81).</summary>
    public int UploadPieceFrames { get; init; } = 3;

    public RgbFrames AdoptUpload(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames,
        Func<RgbFrames, RgbFrames>? interpolate)
    {
        var upload = Upload ?? throw new InvalidOperationException("no upload");
        Clips[0] = interpolate is null ? upload : Concat(Enumerable.Range(0, (upload.Count + UploadPieceFrames - 1) / UploadPieceFrames)
            .Select(piece => interpolate(upload.Slice(piece * UploadPieceFrames, Math.Min(UploadPieceFrames, upload.Count - piece * UploadPieceFrames)))));
        return upload.Slice(uploadFrames - tailFrames, tailFrames);
    }

    static RgbFrames Concat(IEnumerable<RgbFrames> pieces)
    {
        var list = pieces.ToList();
        return new RgbFrames(list[0].Width, list[0].Height, list.SelectMany(p => p.Pixels).ToArray());
    }

    public void AnchorFrameMade(RgbFrames frame) => AnchorFrames.Add(frame);

    /// <summary>Every clip's frames in order, as one byte array.</summary>
    public byte[] Video => Clips.Values.SelectMany(c => c.Pixels).ToArray();
}
