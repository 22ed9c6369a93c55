namespace Svi.Server.Media;

/// <summary>How generated video is encoded.</summary>
public sealed record VideoEncoding
{
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
