namespace Svi.Server.Media;

/// <summary>Frames as packed 8-bit RGB (rgb24), frame after frame, row after row.</summary>
public sealed record RawVideo(int Width, int Height, int FrameCount, ReadOnlyMemory<byte> Rgb24)
{
    public int FrameBytes => Width * Height * 3;

    public ReadOnlyMemory<byte> Frame(int index) => Rgb24.Slice(index * FrameBytes, FrameBytes);

    public static RawVideo Create(int width, int height, ReadOnlyMemory<byte> rgb24)
    {
        int frameBytes = width * height * 3;
        if (width <= 0 || height <= 0 || rgb24.Length % frameBytes != 0)
            throw new ArgumentException($"{rgb24.Length} bytes are not whole {width}×{height} rgb24 frames");
        return new RawVideo(width, height, rgb24.Length / frameBytes, rgb24);
    }
}
