using System.Buffers.Binary;

namespace Svi.Inference.Text;

/// <summary>
/// SentencePiece's compiled normalisation rules (<c>normalizer_spec.precompiled_charsmap</c>, e.g. nmt_nfkc): a
/// little-endian uint32 byte size, a darts-clone double-array trie over UTF-8 source sequences, then the
/// NUL-terminated replacement strings the trie's values point into. Decoding the rules themselves (rather than
/// calling an NFKC library) keeps SentencePiece's exact behaviour, which is NFKC applied one longest match at a time
/// plus its own whitespace and control-character rules.
/// </summary>
public sealed class PrecompiledCharsMap
{
    readonly uint[] units;
    readonly byte[] replacements;

    public PrecompiledCharsMap(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4) throw new FormatException("precompiled charsmap shorter than its header");
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize % 4 != 0 || trieSize > blob.Length - 4) throw new FormatException($"precompiled charsmap trie size {trieSize} is invalid");
        units = new uint[trieSize / 4];
        for (int i = 0; i < units.Length; i++)
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4 + 4 * i));
        replacements = blob[(4 + (int)trieSize)..].ToArray();
    }

    /// <summary>
    /// The longest rule whose source is a prefix of <paramref name="input"/>: its source length in bytes and its
    /// replacement (UTF-8), or length 0 when no rule applies.
    /// </summary>
    public int LongestPrefixMatch(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        replacement = default;
        int longest = 0, value = 0;
        uint node = Offset(units[0]);
        for (int i = 0; i < input.Length; i++)
        {
            byte label = input[i];
            node ^= label;
            if (node >= units.Length) break;
            uint unit = units[node];
            if (Label(unit) != label) break;
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                longest = i + 1;
                value = (int)(units[node] & 0x7FFFFFFF);
            }
        }
        if (longest == 0) return 0;
        var rest = replacements.AsSpan(value);
        int end = rest.IndexOf((byte)0);
        replacement = end < 0 ? rest : rest[..end];
        return longest;
    }

    // darts-clone unit layout: label in the low byte (bit 31 marks a leaf value), has_leaf bit 8, offset above bit 10
    // (shifted further by 8 when bit 9 is set).
    static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    static uint Label(uint unit) => unit & (0x80000000u | 0xFF);
    static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
