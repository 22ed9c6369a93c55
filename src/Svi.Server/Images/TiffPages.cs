using System.Buffers.Binary;

namespace Svi.Server.Images;

/// <summary>
/// The declared size of every page of a TIFF, read from its directories (IFDs) without decoding anything, so a
/// small file declaring many huge pages is refused before a decoder allocates for any of them.
/// Classic TIFF and BigTIFF, either byte order. Malformed structure raises <see cref="InvalidDataException"/>.
/// </summary>
public static class TiffPages
{
    public const int MaxPages = 1024;
    private const ushort ImageWidth = 256, ImageLength = 257;

    public static bool IsTiff(ReadOnlySpan<byte> d) =>
        d.Length >= 8 && ((d[0] == 'I' && d[1] == 'I') || (d[0] == 'M' && d[1] == 'M'));

    public static IReadOnlyList<(long Width, long Height)> Sizes(ReadOnlySpan<byte> d)
    {
        if (!IsTiff(d)) throw new InvalidDataException("it is not a TIFF file");
        bool little = d[0] == 'I';
        ushort magic = U16(d, 2, little);
        bool big = magic == 43;
        if (magic != 42 && !big) throw new InvalidDataException("its TIFF header is invalid");
        if (big && (d.Length < 16 || U16(d, 4, little) != 8)) throw new InvalidDataException("its BigTIFF header is invalid");
        ulong offset = big ? U64(d, 8, little) : U32(d, 4, little);
        int entrySize = big ? 20 : 12, countSize = big ? 8 : 2, nextSize = big ? 8 : 4;

        var pages = new List<(long, long)>();
        var seen = new HashSet<ulong>();
        while (offset != 0)
        {
            if (pages.Count == MaxPages) throw new InvalidDataException($"it has more than {MaxPages} pages");
            if (!seen.Add(offset)) throw new InvalidDataException("its page directories form a loop");
            if (offset > (ulong)d.Length - (ulong)countSize) throw new InvalidDataException("it is truncated (a page directory lies past its end)");
            int at = (int)offset;
            ulong count = big ? U64(d, at, little) : U16(d, at, little);
            at += countSize;
            if (count > (ulong)((d.Length - at) / entrySize)) throw new InvalidDataException("it is truncated (a page directory is cut off)");
            long width = -1, height = -1;
            for (int i = 0; i < (int)count; i++, at += entrySize)
            {
                ushort tag = U16(d, at, little);
                if (tag != ImageWidth && tag != ImageLength) continue;
                long value = Value(d, at, little, big);
                if (tag == ImageWidth) width = value; else height = value;
            }
            if (width <= 0 || height <= 0) throw new InvalidDataException($"page {pages.Count + 1} declares no size");
            pages.Add((width, height));
            if (at > d.Length - nextSize) throw new InvalidDataException("it is truncated (after a page directory)");
            offset = big ? U64(d, at, little) : U32(d, at, little);
        }
        if (pages.Count == 0) throw new InvalidDataException("it has no pages");
        return pages;
    }

    // An entry's inline value: SHORT (3), LONG (4) or BigTIFF's LONG8 (16); a size stored any other way is invalid.
    private static long Value(ReadOnlySpan<byte> d, int entry, bool little, bool big)
    {
        ushort type = U16(d, entry + 2, little);
        int valueAt = entry + (big ? 12 : 8);
        return type switch
        {
            3 => U16(d, valueAt, little),
            4 => U32(d, valueAt, little),
            16 when big => (long)Math.Min(U64(d, valueAt, little), long.MaxValue),
            _ => throw new InvalidDataException("its page size has an invalid type"),
        };
    }

    private static ushort U16(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[at..]);
    private static uint U32(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[at..]);
    private static ulong U64(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt64LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt64BigEndian(d[at..]);
}
