using Svi.Inference.Rendering;

namespace Svi.Server.Media;

/// <summary>
/// An extension's uploaded video as its source's clip 0 (<see cref="IUploadedClip"/>): <see cref="PrepareAsync"/>
/// encodes it once, resampled to 16 fps and cropped to the video size, as the source folder's part 0 with its first
/// frame as the thumbnail, so a render adopts it like a source generation's clip; its frames are read back from there.
/// </summary>
public sealed class UploadedClip : IUploadedClip
{
    readonly IVideoMedia media;
    readonly string part;
    readonly int width, height;
    readonly CancellationToken cancellationToken;

    UploadedClip(IVideoMedia media, WorkDirectory source, int frames, int width, int height, CancellationToken cancellationToken)
    {
        this.media = media;
        part = source.Part(0);
        Frames = frames;
        this.width = width;
        this.height = height;
        this.cancellationToken = cancellationToken;
    }

    public int Frames { get; }

    /// <summary>
    /// The upload in <paramref name="source"/> made into its clip 0 at <paramref name="width"/> × <paramref name="height"/>,
    /// unless an earlier run of the job did. Throws <see cref="RenderFailedException"/> when it no longer gives the
    /// <paramref name="frames"/> counted when it was accepted.
    /// </summary>
    public static async Task<UploadedClip> PrepareAsync(IVideoMedia media, WorkDirectory source, int frames, int width, int height,
        CancellationToken cancellationToken)
    {
        var clip = new UploadedClip(media, source, frames, width, height, cancellationToken);
        if (File.Exists(clip.part)) return clip;
        Directory.CreateDirectory(source.Parts);
        string encoding = Path.Combine(source.Parts, ".tmp-" + Path.GetFileName(clip.part));
        await media.EncodeUploadPartAsync(source.Upload, width, height, encoding, cancellationToken);
        int encoded = await media.CountUploadFramesAsync(encoding, cancellationToken);
        if (encoded != frames)
            throw new RenderFailedException("invalid_upload",
                $"The uploaded video gave {encoded} frames at 16 fps where {frames} were counted when it was accepted.");
        var first = await media.ReadFramesAsync(encoding, null, null, 1, cancellationToken);
        await media.WriteJpegAsync(first, 0, source.Thumbnail, cancellationToken);
        File.Move(encoding, clip.part, overwrite: true);
        return clip;
    }

    public RgbFrames Last(int count)
    {
        if (count > Frames) throw new RenderFailedException("invalid_upload", $"The uploaded video has {Frames} frames; {count} are needed to continue it.");
        var tail = media.ReadFrameRangeAsync(part, width, height, Frames - count, count, cancellationToken).GetAwaiter().GetResult();
        return new RgbFrames(tail.Width, tail.Height, tail.Rgb24.ToArray());
    }

    public IEnumerable<RgbFrames> Pieces(int frames) =>
        media.ReadChunks(part, width, height, frames, cancellationToken)
            .Select(chunk => new RgbFrames(chunk.Width, chunk.Height, chunk.Rgb24.ToArray()));
}
