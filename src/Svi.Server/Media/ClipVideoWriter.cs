using Svi.Inference.Rendering;

namespace Svi.Server.Media;

/// <summary>
/// Streams a generation's clips to disk as they finish: each clip's new frames are encoded once into their own
/// H.264 part (<c>parts/clip0007.ts</c>), <c>partial.mp4</c> (every part so far, joined without re-encoding) is
/// playable after every clip, <c>thumbnail.jpg</c> is the first frame, and <see cref="FinishAsync"/> joins the parts
/// into <c>video.mp4</c> with +faststart. A clip's part depends on that clip's frames alone, so a job resumed after
/// clip k writes the same bytes as one that never stopped, and memory holds one clip of frames at a time. Parts are
/// encoded at <paramref name="fps"/> (32 when the render interpolates its frames).
/// </summary>
public sealed class ClipVideoWriter(IVideoMedia media, WorkDirectory work, CancellationToken cancellationToken,
    int fps = VideoEncoding.Fps) : IRenderOutput
{
    public ClipVideoWriter(IVideoMedia media, string workDirectory, CancellationToken cancellationToken, int fps = VideoEncoding.Fps)
        : this(media, new WorkDirectory(workDirectory), cancellationToken, fps) { }

    string PartsDirectory => work.Parts;
    string VideoPath => work.Video;
    string PartialPath => work.PartialVideo;
    public string ThumbnailPath => work.Thumbnail;

    string PartPath(int clip) => work.Part(clip);

    /// <summary>Removes the parts and videos of an earlier, different run in this directory.</summary>
    public void Reset()
    {
        if (Directory.Exists(PartsDirectory)) Directory.Delete(PartsDirectory, recursive: true);
        foreach (var path in new[] { VideoPath, PartialPath, ThumbnailPath }) File.Delete(path);
    }

    public void Accept(int clip, RgbFrames frames) => AcceptAsync(clip, frames).GetAwaiter().GetResult();

    public async Task AcceptAsync(int clip, RgbFrames frames)
    {
        var video = RawVideo.Create(frames.Width, frames.Height, frames.Pixels, fps);
        Directory.CreateDirectory(PartsDirectory);
        await Replace(PartPath(clip), path => media.EncodeAsync(video, path, cancellationToken));
        await PartWrittenAsync(clip, video);
    }

    public void AcceptInPieces(int clip, int width, int height, IEnumerable<RgbFrames> pieces) =>
        AcceptInPiecesAsync(clip, width, height, pieces).GetAwaiter().GetResult();

    async Task AcceptInPiecesAsync(int clip, int width, int height, IEnumerable<RgbFrames> pieces)
    {
        byte[]? first = null;
        IEnumerable<ReadOnlyMemory<byte>> Frames()
        {
            foreach (var piece in pieces)
                for (int i = 0; i < piece.Count; i++)
                {
                    first ??= piece.Frame(i).ToArray();
                    yield return piece.Frame(i);
                }
        }
        Directory.CreateDirectory(PartsDirectory);
        await Replace(PartPath(clip), path => media.EncodeAsync(width, height, fps, Frames(), path, cancellationToken));
        await PartWrittenAsync(clip, RawVideo.Create(width, height, first!, fps));
    }

    // The thumbnail is the first frame of clip 0; partial.mp4 is every part so far.
    async Task PartWrittenAsync(int clip, RawVideo frames)
    {
        if (clip == 0) await Replace(ThumbnailPath, path => media.WriteJpegAsync(frames, 0, path, cancellationToken));
        await Replace(PartialPath, path => media.ConcatAsync(Parts(clip + 1), path, cancellationToken));
    }

    public void AdoptSourceClips(string sourceDirectory, int clips)
    {
        var source = new WorkDirectory(sourceDirectory);
        Directory.CreateDirectory(PartsDirectory);
        for (int clip = 0; clip < clips; clip++)
        {
            if (!File.Exists(source.Part(clip))) throw RenderFailedException.SourceStateMissing($"the encoded frames of clip {clip}");
            File.Copy(source.Part(clip), PartPath(clip), overwrite: true);
        }
        if (File.Exists(source.Thumbnail)) File.Copy(source.Thumbnail, ThumbnailPath, overwrite: true);
    }

    public void AnchorFrameMade(RgbFrames frame) =>
        AnchorImage.SavePng(frame.Frame(0).Span, frame.Width, frame.Height, work.AnchorFrame);

    /// <summary>Joins every clip's part into <c>video.mp4</c> and drops the partial file.</summary>
    public async Task<string> FinishAsync(int clips)
    {
        await Replace(VideoPath, path => media.ConcatAsync(Parts(clips), path, cancellationToken));
        File.Delete(PartialPath);
        return VideoPath;
    }

    IReadOnlyList<string> Parts(int count)
    {
        var parts = Enumerable.Range(0, count).Select(PartPath).ToList();
        var missing = parts.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null) throw new InvalidOperationException($"{missing} is missing: the clip was never encoded");
        return parts;
    }

    // Write beside the target and rename, so a crash never leaves a half-written file under the final name.
    static async Task Replace(string path, Func<string, Task> write)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, ".tmp-" + Path.GetFileName(path));
        await write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
