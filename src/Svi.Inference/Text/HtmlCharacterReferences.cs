using System.Globalization;
using System.Text.RegularExpressions;

namespace Svi.Inference.Text;

/// <summary>
/// HTML character-reference decoding with the semantics of Python's <c>html.unescape</c>, which Wan runs (twice) on
/// every prompt: the WHATWG named references (including the legacy ones without a semicolon and the longest-prefix
/// rule, so <c>&amp;copy2024</c> is ©2024), decimal and hex references with or without the semicolon, the Windows-1252
/// remapping of 0x80–0x9F, U+FFFD for surrogates and out-of-range numbers, and removal of non-characters.
/// .NET's <c>WebUtility.HtmlDecode</c> knows fewer names and requires semicolons, so it would change prompts.
/// </summary>
public static partial class HtmlCharacterReferences
{
    static readonly Lazy<Dictionary<string, string>> NamedTable = new(LoadNamed);

    /// <summary>Every WHATWG named reference without its '&amp;' (<c>amp;</c>, and legacy ones such as <c>amp</c>).</summary>
    internal static IReadOnlyDictionary<string, string> Named => NamedTable.Value;

    /// <summary>The Windows-1252 character of a byte 0x80–0x9F (itself for the five bytes 1252 leaves undefined).</summary>
    internal static string Windows1252(char c1) => NumericRemapped[c1];

    static readonly Dictionary<int, string> NumericRemapped = new()
    {
        [0x0] = "\uFFFD",
        [0xD] = "\r",
        [0x80] = "\u20AC",
        [0x81] = "\u0081",
        [0x82] = "\u201A",
        [0x83] = "\u0192",
        [0x84] = "\u201E",
        [0x85] = "\u2026",
        [0x86] = "\u2020",
        [0x87] = "\u2021",
        [0x88] = "\u02C6",
        [0x89] = "\u2030",
        [0x8A] = "\u0160",
        [0x8B] = "\u2039",
        [0x8C] = "\u0152",
        [0x8D] = "\u008D",
        [0x8E] = "\u017D",
        [0x8F] = "\u008F",
        [0x90] = "\u0090",
        [0x91] = "\u2018",
        [0x92] = "\u2019",
        [0x93] = "\u201C",
        [0x94] = "\u201D",
        [0x95] = "\u2022",
        [0x96] = "\u2013",
        [0x97] = "\u2014",
        [0x98] = "\u02DC",
        [0x99] = "\u2122",
        [0x9A] = "\u0161",
        [0x9B] = "\u203A",
        [0x9C] = "\u0153",
        [0x9D] = "\u009D",
        [0x9E] = "\u017E",
        [0x9F] = "\u0178",
    };

    [GeneratedRegex(@"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")]
    private static partial Regex CharacterReference();

    public static string Unescape(string text)
        => text.Contains('&') ? CharacterReference().Replace(text, m => Replace(m.Groups[1].Value)) : text;

    static string Replace(string reference)
    {
        if (reference[0] == '#') return Numeric(reference);
        var named = NamedTable.Value;
        if (named.TryGetValue(reference, out var value)) return value;
        for (int length = reference.Length - 1; length > 1; length--)
            if (named.TryGetValue(reference[..length], out value)) return value + reference[length..];
        return "&" + reference;
    }

    static string Numeric(string reference)
    {
        bool hex = reference[1] is 'x' or 'X';
        string digits = reference[(hex ? 2 : 1)..].TrimEnd(';');
        bool inRange = long.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
            CultureInfo.InvariantCulture, out long number) && number <= 0x10FFFF;
        if (inRange && NumericRemapped.TryGetValue((int)number, out var remapped)) return remapped;
        if (!inRange || number is >= 0xD800 and <= 0xDFFF) return "\uFFFD";
        if (IsNonCharacterOrControl((int)number)) return "";
        return char.ConvertFromUtf32((int)number);
    }

    static bool IsNonCharacterOrControl(int c) =>
        c is >= 0x1 and <= 0x8 or 0xB or >= 0xE and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (c & 0xFFFE) == 0xFFFE;

    static Dictionary<string, string> LoadNamed() =>
        EmbeddedTable.Read("Svi.Inference.Text.Html5Entities.tsv").ToDictionary(row => row.Key, row => row.Value, StringComparer.Ordinal);
}
