using System.Text;

namespace Svi.Inference.Text;

/// <summary>
/// SentencePiece's <c>Normalizer::Normalize</c>: rule-by-rule normalisation (longest match of user-defined symbols
/// first, then of the charsmap, else the character itself, malformed bytes as U+FFFD), optional removal of leading,
/// trailing and repeated spaces, a dummy space prefix, and spaces escaped as ▁ (U+2581). Works on UTF-8 bytes
/// because the unigram lattice is indexed by byte offsets.
/// </summary>
public sealed class SentencePieceNormalizer
{
    static readonly byte[] SpaceSymbol = "\u2581"u8.ToArray();
    static readonly byte[] ReplacementCharacter = "\uFFFD"u8.ToArray();

    readonly PrecompiledCharsMap? charsMap;
    readonly byte[][] userDefinedSymbols;
    readonly bool addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces, treatWhitespaceAsSuffix;

    public SentencePieceNormalizer(SentencePieceModel model)
    {
        charsMap = model.PrecompiledCharsMap.Length > 0 ? new PrecompiledCharsMap(model.PrecompiledCharsMap) : null;
        userDefinedSymbols = model.Pieces.Where(p => p.Type == PieceType.UserDefined)
            .Select(p => Encoding.UTF8.GetBytes(p.Piece)).ToArray();
        addDummyPrefix = model.AddDummyPrefix;
        removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        escapeWhitespaces = model.EscapeWhitespaces;
        treatWhitespaceAsSuffix = model.TreatWhitespaceAsSuffix;
    }

    public byte[] Normalize(string text) => Normalize(Encoding.UTF8.GetBytes(text));

    public byte[] Normalize(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length + 8);
        if (removeExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                int consumed = NormalizePrefix(input, out var replacement);
                if (!replacement.SequenceEqual(" "u8)) break;
                input = input[consumed..];
            }
        }
        if (input.IsEmpty) return [];

        var space = escapeWhitespaces ? SpaceSymbol : " "u8.ToArray();
        if (!treatWhitespaceAsSuffix && addDummyPrefix) output.AddRange(space);

        bool previousIsSpace = removeExtraWhitespaces;
        while (!input.IsEmpty)
        {
            int consumed = NormalizePrefix(input, out var replacement);
            while (previousIsSpace && !replacement.IsEmpty && replacement[0] == (byte)' ') replacement = replacement[1..];
            if (!replacement.IsEmpty)
            {
                foreach (byte b in replacement)
                {
                    if (escapeWhitespaces && b == (byte)' ') output.AddRange(SpaceSymbol);
                    else output.Add(b);
                }
                previousIsSpace = replacement[^1] == (byte)' ';
            }
            input = input[consumed..];
            if (!removeExtraWhitespaces) previousIsSpace = false;
        }

        if (removeExtraWhitespaces)
            while (EndsWith(output, space)) output.RemoveRange(output.Count - space.Length, space.Length);
        if (treatWhitespaceAsSuffix && addDummyPrefix) output.AddRange(space);
        return output.ToArray();
    }

    // → bytes consumed from the input; replacement: what they normalise to
    int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        int userLength = 0;
        foreach (var symbol in userDefinedSymbols)
            if (symbol.Length > userLength && input.StartsWith(symbol)) userLength = symbol.Length;
        if (userLength > 0)
        {
            replacement = input[..userLength];
            return userLength;
        }

        if (charsMap is not null)
        {
            int length = charsMap.LongestPrefixMatch(input, out replacement);
            if (length > 0) return length;
        }

        int charLength = ValidUtf8Length(input);
        replacement = charLength > 0 ? input[..charLength] : ReplacementCharacter;
        return Math.Max(charLength, 1);
    }

    // Length of the well-formed UTF-8 character at the start, or 0 when it is malformed.
    static int ValidUtf8Length(ReadOnlySpan<byte> input)
        => System.Text.Rune.DecodeFromUtf8(input, out _, out int consumed) == System.Buffers.OperationStatus.Done ? consumed : 0;

    static bool EndsWith(List<byte> bytes, byte[] suffix)
    {
        if (bytes.Count < suffix.Length) return false;
        for (int i = 0; i < suffix.Length; i++)
            if (bytes[bytes.Count - suffix.Length + i] != suffix[i]) return false;
        return true;
    }
}
