using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using static TorchSharp.torch;

namespace Svi.Server.Media;

/// <summary>
/// Streams a generation's clips to disk as they finish: each clip's new frames are encoded once into their own
/// H.264 part (<c>parts/clip0007.ts</c>), <c>partial.mp4</c> (every part so far, joined without re-encoding) is
/// playable after every clip, <c>thumbnail.jpg</c> is the first frame, and <see cref="FinishAsync"/> joins the parts
/// into <c>video.mp4</c> with +faststart. A clip's part depends on that clip's frames alone, so a job resumed after
/// clip k writes the same bytes as one that never stopped, and memory holds one clip of frames at a time. Parts are
/// encoded at <paramref name="fps"/> (32 when an <see cref="InterpolatingFrameSink"/> feeds it).
/// </summary>
public sealed class ClipVideoWriter(IVideoMedia media, string workDirectory, CancellationToken cancellationToken,
    int fps = VideoEncoding.Fps) : IClipSink, IFrameSink
{
    public const string VideoFile = "video.mp4";
    public const string PartialFile = "partial.mp4";
    public const string ThumbnailFile = "thumbnail.jpg";

    public string PartsDirectory => Path.Combine(workDirectory, "parts");
    public string VideoPath => Path.Combine(workDirectory, VideoFile);
    public string PartialPath => Path.Combine(workDirectory, PartialFile);
    public string ThumbnailPath => Path.Combine(workDirectory, ThumbnailFile);

    public string PartPath(int clip) => Path.Combine(PartsDirectory, $"clip{clip:D4}.ts");

    /// <summary>The last frame of each clip, kept for the seam interpolation of a 32 fps run.</summary>
    public SeamFrames Seams => new(Path.Combine(workDirectory, SeamFrames.Folder));

    /// <summary>Removes the parts, seams and videos of an earlier, different run in this directory.</summary>
    public void Reset()
    {
        if (Directory.Exists(PartsDirectory)) Directory.Delete(PartsDirectory, recursive: true);
        Seams.Clear();
        foreach (var path in new[] { VideoPath, PartialPath, ThumbnailPath }) File.Delete(path);
    }

    // frames: [n, H, W, 3] uint8
    public void Accept(int clip, Tensor frames) => AcceptAsync(clip, frames).GetAwaiter().GetResult();

    public Task AcceptAsync(int clip, Tensor frames)
    {
        if (frames.dtype != ScalarType.Byte || frames.dim() != 4 || frames.shape[3] != 3)
            throw new ArgumentException($"frames must be [n, H, W, 3] uint8, got {frames.dtype} [{string.Join(',', frames.shape)}]");
        return AcceptAsync(clip, RawVideo.Create((int)frames.shape[2], (int)frames.shape[1], frames.cpu().contiguous().data<byte>().ToArray(), fps));
    }

    public void Accept(int clip, RgbFrames frames) =>
        AcceptAsync(clip, RawVideo.Create(frames.Width, frames.Height, frames.Pixels, fps)).GetAwaiter().GetResult();

    async Task AcceptAsync(int clip, RawVideo video)
    {
        Directory.CreateDirectory(PartsDirectory);
        await Replace(PartPath(clip), path => media.EncodeAsync(video, path, cancellationToken));
        if (clip == 0) await Replace(ThumbnailPath, path => media.WriteJpegAsync(video, 0, path, cancellationToken));
        await Replace(PartialPath, path => media.ConcatAsync(Parts(clip + 1), path, cancellationToken));
    }

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
