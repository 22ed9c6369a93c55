namespace Svi.Server.Media;

/// <summary>
/// Everything the server does with video files, behind one small interface (FFmpeg underneath): encode frames,
/// join encoded parts, thumbnails, probe, and decode a file back into frames (uploads, spritesheets).
/// <para>
/// The <c>Upload</c> members read a video a client posted: each run reads that file alone (no playlists, no other
/// protocols), raises <see cref="InvalidDataException"/> with ffmpeg's reason and never a server path, and a cancelled
/// one kills its ffmpeg. An upload's frames are resampled to 16 fps, scaled to cover the video size and centre-cropped,
/// the same rule as the anchor image.
/// </para>
/// </summary>
public interface IVideoMedia
{
    /// <summary>
    /// Encodes frames as H.264 (yuv420p) at <see cref="RawVideo.Fps"/>: an MP4, or an MPEG-TS part when the path
    /// ends in <c>.ts</c>. Parts to be joined should be MPEG-TS: its 90 kHz clock holds 1/16 s exactly, so joined
    /// parts keep a constant 16 fps (MP4 parts drift by a few ticks at every join); 1/32 s is 2812.5 ticks, so at
    /// 32 fps a frame's time is off by at most half a tick (6 µs).
    /// </summary>
    Task EncodeAsync(RawVideo frames, string outputPath, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="EncodeAsync(RawVideo, string, CancellationToken)"/> for frames that are made while they are encoded
    /// (each <paramref name="width"/> × <paramref name="height"/> rgb24, pulled one at a time), so a long video never sits
    /// in memory whole. Throws when <paramref name="frames"/> gives none.
    /// </summary>
    Task EncodeAsync(int width, int height, int fps, IEnumerable<ReadOnlyMemory<byte>> frames, string outputPath,
        CancellationToken cancellationToken);

    /// <summary>Joins parts encoded by <see cref="EncodeAsync(RawVideo, string, CancellationToken)"/> into one MP4 without re-encoding, index up front (+faststart).</summary>
    Task ConcatAsync(IReadOnlyList<string> parts, string outputPath, CancellationToken cancellationToken);

    /// <summary>Writes frame <paramref name="frame"/> as a JPEG.</summary>
    Task WriteJpegAsync(RawVideo frames, int frame, string outputPath, CancellationToken cancellationToken);

    /// <summary>Size, frame rate, codec and the exact decoded frame count.</summary>
    Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken);

    /// <summary>Decodes a video (or image) into rgb24 frames, optionally scaled, at most <paramref name="maxFrames"/>.</summary>
    Task<RawVideo> ReadFramesAsync(string path, int? width, int? height, int? maxFrames, CancellationToken cancellationToken);

    /// <summary>The container and first video stream from the headers; throws when the file is not a readable video of an allowed container.</summary>
    Task<UploadProbe> ProbeUploadAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// How many frames the upload has at 16 fps: every frame decoded (tiny), so a truncated file fails here. With
    /// <paramref name="maxFrames"/>, decoding stops after one frame more than that, so a long video costs no more.
    /// </summary>
    Task<int> CountUploadFramesAsync(string path, CancellationToken cancellationToken, int? maxFrames = null);

    /// <summary>The upload's first frame at the video size, as a PNG (an extension's anchor image).</summary>
    Task WriteUploadFirstFramePngAsync(string path, int width, int height, string outputPng, CancellationToken cancellationToken);

    /// <summary>
    /// The upload's frames at the video size and 16 fps as an MPEG-TS part, encoded like
    /// <see cref="EncodeAsync(RawVideo, string, CancellationToken)"/>, so it joins the rendered parts without re-encoding.
    /// </summary>
    Task EncodeUploadPartAsync(string path, int width, int height, string outputTs, CancellationToken cancellationToken);

    /// <summary>Frames [<paramref name="first"/>, first + count) of a video already at the video size and 16 fps (an upload's part).</summary>
    Task<RawVideo> ReadFrameRangeAsync(string path, int width, int height, int first, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Every frame of a video already at the video size, <paramref name="chunkFrames"/> at a time (the last chunk may be
    /// shorter), decoded while the chunks are taken, so memory holds one chunk.
    /// </summary>
    IEnumerable<RawVideo> ReadChunks(string path, int width, int height, int chunkFrames, CancellationToken cancellationToken);
}
