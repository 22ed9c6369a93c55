namespace Svi.Server.Media;

/// <summary>
/// Everything the server does with video files, behind one small interface (FFmpeg underneath): encode frames,
/// join encoded parts, thumbnails, probe, and decode a file back into frames (uploads, spritesheets).
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

    /// <summary>Joins parts encoded by <see cref="EncodeAsync"/> into one MP4 without re-encoding, index up front (+faststart).</summary>
    Task ConcatAsync(IReadOnlyList<string> parts, string outputPath, CancellationToken cancellationToken);

    /// <summary>Writes frame <paramref name="frame"/> as a JPEG.</summary>
    Task WriteJpegAsync(RawVideo frames, int frame, string outputPath, CancellationToken cancellationToken);

    /// <summary>Size, frame rate, codec and the exact decoded frame count.</summary>
    Task<VideoInfo> ProbeAsync(string path, CancellationToken cancellationToken);

    /// <summary>Decodes a video (or image) into rgb24 frames, optionally scaled, at most <paramref name="maxFrames"/>.</summary>
    Task<RawVideo> ReadFramesAsync(string path, int? width, int? height, int? maxFrames, CancellationToken cancellationToken);
}

/// <summary>How generated video is encoded.</summary>
public sealed record VideoEncoding
{
    /// <summary>The frame rate SVI renders at; 32 fps output is interpolated from it.</summary>
    public const int Fps = 16;
    public int ConstantRateFactor { get; init; } = 18;
    public string Preset { get; init; } = "medium";
    /// <summary>x264's output depends on its thread count; a fixed count makes re-encoding a clip give the same bytes on any machine.</summary>
    public int Threads { get; init; } = 4;
    /// <summary>
    /// Written as the MP4's <c>comment</c> tag when set: random weights mark every file they make, so a video from
    /// them can never pass for a model's output once it leaves the server.
    /// </summary>
    public string? Comment { get; init; }
}
