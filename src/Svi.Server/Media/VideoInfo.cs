namespace Svi.Server.Media;

/// <param name="Frames">decoded frames counted by ffprobe</param>
public sealed record VideoInfo(int Width, int Height, double FrameRate, int Frames, string Codec, string PixelFormat, TimeSpan Duration);
