namespace Svi.Server.Tests.Support;

/// <summary>
/// Hand-built little-endian TIFFs with several pages (ImageSharp writes only one): uncompressed RGB, one strip a page.
/// A page can declare a size it has no pixels for, point its strip past the end of the file, or claim a compression
/// its raw pixels are not in (Deflate, 8: the pixels are then an invalid zlib stream).
/// </summary>
public static class TiffFixture
{
    public sealed record Page(int Width, int Height, byte R = 0, byte G = 0, byte B = 0, bool WithPixels = true, bool StripPastEnd = false,
        ushort Compression = 1);

    public static byte[] Build(params Page[] pages)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.ASCII, leaveOpen: true);
        w.Write("II"u8);
        w.Write((ushort)42);
        long nextOffsetAt = ms.Position;
        w.Write(0u);
        foreach (var page in pages)
        {
            long pixelsAt = ms.Position;
            long bytes = (long)page.Width * page.Height * 3;
            if (page.WithPixels)
                for (long i = 0; i < bytes; i += 3) { w.Write(page.R); w.Write(page.G); w.Write(page.B); }
            if (ms.Position % 2 == 1) w.Write((byte)0);
            long bitsAt = ms.Position;
            w.Write((ushort)8); w.Write((ushort)8); w.Write((ushort)8);
            long ifdAt = ms.Position;
            Patch(ms, nextOffsetAt, (uint)ifdAt);
            (ushort Tag, ushort Type, uint Count, uint Value)[] entries =
            [
                (256, 4, 1, (uint)page.Width), (257, 4, 1, (uint)page.Height), (258, 3, 3, (uint)bitsAt), (259, 3, 1, page.Compression),
                (262, 3, 1, 2), (273, 4, 1, page.StripPastEnd ? 0x7FFF_FFF0u : (uint)pixelsAt), (277, 3, 1, 3),
                (278, 4, 1, (uint)page.Height), (279, 4, 1, (uint)Math.Min(bytes, uint.MaxValue)), (284, 3, 1, 1),
            ];
            w.Write((ushort)entries.Length);
            foreach (var (tag, type, count, value) in entries)
            {
                w.Write(tag); w.Write(type); w.Write(count);
                if (type == 3 && count == 1) { w.Write((ushort)value); w.Write((ushort)0); } else w.Write(value);
            }
            nextOffsetAt = ms.Position;
            w.Write(0u);
        }
        w.Flush();
        return ms.ToArray();
    }

    private static void Patch(MemoryStream ms, long at, uint value)
    {
        long end = ms.Position;
        ms.Position = at;
        ms.Write(BitConverter.GetBytes(value));
        ms.Position = end;
    }
}
