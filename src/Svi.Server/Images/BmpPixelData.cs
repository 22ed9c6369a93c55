using System.Buffers.Binary;

namespace Svi.Server.Images;

/// <summary>
/// An uncompressed BMP must carry stride × height bytes of pixels after its header. The decoder does not check this;
/// it allocates the declared size and fills what is missing, so a few bytes declaring a large image would cost the
/// full decode. Checked from the header, before decoding.
/// </summary>
public static class BmpPixelData
{
    /// <summary>Why the file cannot hold the pixels its header declares, or null when it can (or the header leaves it open).</summary>
    public static string? Missing(ReadOnlySpan<byte> d)
    {
        if (d.Length < 34 || d[0] != 'B' || d[1] != 'M') return null;
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(d[10..]), headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
        // OS/2 headers and compressed pixels (RLE, JPEG, PNG) have no fixed size; the decoder judges those.
        if (headerSize < 40) return null;
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(d[30..]);
        if (compression is not (0 or 3 or 6)) return null;
        long width = BinaryPrimitives.ReadInt32LittleEndian(d[18..]), height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..]));
        long bits = BinaryPrimitives.ReadUInt16LittleEndian(d[28..]);
        if (width <= 0 || height == 0 || bits == 0) return "its header declares no pixels";
        long need = (bits * width + 31) / 32 * 4 * height;
        return offset > d.Length || need > d.Length - offset
            ? $"its header declares {width}x{height} pixels, {need} bytes, but it holds {Math.Max(0, d.Length - offset)}"
            : null;
    }
}
