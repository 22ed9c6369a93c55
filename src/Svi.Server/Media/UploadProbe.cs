namespace Svi.Server.Media;

/// <summary>What ffprobe reads of an uploaded video from the container headers, without decoding a frame.</summary>
public sealed record UploadProbe(string Container, int Width, int Height, double? DurationSeconds);
