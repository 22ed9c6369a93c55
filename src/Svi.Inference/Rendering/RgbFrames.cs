namespace Svi.Inference.Rendering;

/// <summary>Video frames as rgb24 bytes: frame after frame, row after row, three bytes a pixel.</summary>
public sealed record RgbFrames(int Width, int Height, byte[] Pixels)
{
    public int FrameBytes => Width * Height * 3;

    public int Count => FrameBytes == 0 ? 0 : Pixels.Length / FrameBytes;

    /// <summary>The bytes of frame <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> Frame(int index) => Pixels.AsMemory(index * FrameBytes, FrameBytes);

    /// <summary>Frames <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>, copied.</summary>
    public RgbFrames Slice(int start, int count) =>
        new(Width, Height, Pixels.AsSpan(start * FrameBytes, count * FrameBytes).ToArray());
}
