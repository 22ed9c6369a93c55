using Svi.Inference.Pipeline;
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
    /// <summary>An upload at 16 fps, while a 32 fps extension interpolates it into part 0.</summary>
    const string UploadAt16FpsFile = ".upload-16fps.ts";

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
        if (clip == 0) await Replace(ThumbnailPath, path => media.WriteJpegAsync(video, 0, path, cancellationToken));
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

    public RgbFrames AdoptUpload(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames,
        Func<RgbFrames, RgbFrames>? interpolate) =>
        AdoptUploadAsync(sourceDirectory, width, height, uploadFrames, tailFrames, interpolate).GetAwaiter().GetResult();

    // The upload's resampled, cropped frames become part 0 as they are, and its first frame the thumbnail. To be
    // interpolated, they are encoded at 16 fps first (the frames a 16 fps extension would keep, and the tail's source
    // either way), then decoded a clip's length at a time, interpolated and encoded again at this writer's rate.
    async Task<RgbFrames> AdoptUploadAsync(string sourceDirectory, int width, int height, int uploadFrames, int tailFrames,
        Func<RgbFrames, RgbFrames>? interpolate)
    {
        Directory.CreateDirectory(PartsDirectory);
        string part = interpolate is null ? PartPath(0) : Path.Combine(PartsDirectory, UploadAt16FpsFile);
        await UploadedVideo.EncodePartAsync(new WorkDirectory(sourceDirectory).Upload, width, height, new VideoEncoding(), part, cancellationToken);
        int frames = await UploadedVideo.CountFramesAsync(part, cancellationToken);
        if (frames != uploadFrames || frames < tailFrames)
            throw new RenderFailedException("invalid_upload",
                $"The uploaded video gave {frames} frames at 16 fps where {uploadFrames} were counted when it was accepted.");
        var first = await media.ReadFramesAsync(part, null, null, 1, cancellationToken);
        await media.WriteJpegAsync(first, 0, ThumbnailPath, cancellationToken);
        var tail = await UploadedVideo.ReadFramesAsync(part, width, height, frames - tailFrames, tailFrames, cancellationToken);
        if (interpolate is not null)
        {
            await Replace(PartPath(0), path => media.EncodeAsync(width, height, fps, Interpolated(part, width, height, interpolate), path, cancellationToken));
            File.Delete(part);
        }
        return new RgbFrames(tail.Width, tail.Height, tail.Rgb24.ToArray());
    }

    IEnumerable<ReadOnlyMemory<byte>> Interpolated(string part, int width, int height, Func<RgbFrames, RgbFrames> interpolate)
    {
        foreach (var chunk in UploadedVideo.ReadChunks(part, width, height, ClipPlanner.FramesPerClip, cancellationToken))
        {
            var frames = interpolate(new RgbFrames(chunk.Width, chunk.Height, chunk.Rgb24.ToArray()));
            for (int i = 0; i < frames.Count; i++) yield return frames.Frame(i);
        }
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
