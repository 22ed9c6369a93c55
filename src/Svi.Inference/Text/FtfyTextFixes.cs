using System.Text;
using System.Text.RegularExpressions;

namespace Svi.Inference.Text;

/// <summary>
/// ftfy's <c>fix_text</c> with its default settings, which Wan runs on every prompt first, except the mojibake repair
/// (<c>fix_encoding</c>: it only rewrites text that is mis-decoded UTF-8, such as "itâ€™s"). Line by line, and until
/// nothing changes: HTML references ending in ';' decoded (no longer from the first line that holds a '&lt;'), C1
/// controls read as Windows-1252, Latin ligatures split, half- and fullwidth forms made normal width, curly quotes
/// straightened, line breaks made '\n', lone surrogates replaced, terminal escapes and invisible controls removed,
/// then NFC.
/// </summary>
public static partial class FtfyTextFixes
{
    public static string FixText(string text)
    {
        var result = new StringBuilder(text.Length);
        bool unescapeHtml = true;
        for (int position = 0; position < text.Length;)
        {
            int newline = text.IndexOf('\n', position);
            int end = newline < 0 ? text.Length : newline + 1;
            string line = text[position..end];
            // ftfy decides this per line but never turns it back on: a '<' suggests markup, where entities are meant.
            if (line.Contains('<')) unescapeHtml = false;
            result.Append(FixLine(line, unescapeHtml));
            position = end;
        }
        return result.ToString();
    }

    static string FixLine(string text, bool unescapeHtml)
    {
        while (true)
        {
            string before = text;
            if (unescapeHtml) text = UnescapeHtml(text);
            text = MapCharacters(text, FixC1Control);
            text = MapCharacters(text, c => Ligatures.GetValueOrDefault(c));
            text = MapCharacters(text, c => WidthForms.Value.GetValueOrDefault(c));
            text = MapCharacters(text, UncurlQuote);
            text = FixLineBreaks(text);
            text = FixSurrogates(text);
            text = TerminalEscape().Replace(text, "");
            text = MapCharacters(text, c => IsInvisibleControl(c) ? "" : null);
            text = CanonicalComposition.Normalize(text);
            if (text == before) return text;
        }
    }

    // ftfy decodes only references that end in ';', plus upper-cased names of lower-case ones (P&EACUTE;REZ).
    [GeneratedRegex("&#?[0-9A-Za-z]{1,24};")]
    private static partial Regex HtmlEntity();

    static string UnescapeHtml(string text) => text.Contains('&') ? HtmlEntity().Replace(text, m => DecodeEntity(m.Value)) : text;

    static string DecodeEntity(string entity)
    {
        if (Entities.Value.TryGetValue(entity, out var decoded)) return decoded;
        if (!entity.StartsWith("&#", StringComparison.Ordinal)) return entity;
        string unescaped = HtmlCharacterReferences.Unescape(entity);
        return unescaped.Contains(';') ? entity : unescaped;
    }

    static readonly Lazy<Dictionary<string, string>> Entities = new(() =>
    {
        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in HtmlCharacterReferences.Named)
        {
            if (!name.EndsWith(';')) continue;
            entities["&" + name] = value;
            string upper = "&" + name.ToUpperInvariant();
            if (name == name.ToLowerInvariant() && HtmlCharacterReferences.Unescape(upper) == upper)
                entities.TryAdd(upper, PythonUpper(value));
        }
        return entities;
    });

    // Python's str.upper applies Unicode's full case mapping; these entity characters upper-case to several.
    static string PythonUpper(string value) => value switch
    {
        "\u00DF" => "SS",
        "\uFB00" => "FF",
        "\uFB01" => "FI",
        "\uFB02" => "FL",
        "\uFB03" => "FFI",
        "\uFB04" => "FFL",
        "\u0149" => "\u02BCN",
        _ => value.ToUpperInvariant(),
    };

    // Browsers read stray C1 controls (U+0080–U+009F) as the Windows-1252 characters of those bytes.
    static string? FixC1Control(char c) => c is >= '\u0080' and <= '\u009F' ? HtmlCharacterReferences.Windows1252(c) : null;

    static readonly Dictionary<char, string> Ligatures = new()
    {
        ['\u0132'] = "IJ",
        ['\u0133'] = "ij",
        ['\u0149'] = "\u02BCn",
        ['\u01C4'] = "D\u017D",
        ['\u01C5'] = "D\u017E",
        ['\u01C6'] = "d\u017E",
        ['\u01C7'] = "LJ",
        ['\u01C8'] = "Lj",
        ['\u01C9'] = "lj",
        ['\u01CA'] = "NJ",
        ['\u01CB'] = "Nj",
        ['\u01CC'] = "nj",
        ['\u01F1'] = "DZ",
        ['\u01F2'] = "Dz",
        ['\u01F3'] = "dz",
        ['\uFB00'] = "ff",
        ['\uFB01'] = "fi",
        ['\uFB02'] = "fl",
        ['\uFB03'] = "ffi",
        ['\uFB04'] = "ffl",
        ['\uFB05'] = "\u017Ft",
        ['\uFB06'] = "st",
    };

    static readonly Lazy<Dictionary<char, string>> WidthForms = new(() =>
        EmbeddedTable.Read("Svi.Inference.Text.CharacterWidthForms.tsv").ToDictionary(row => (char)EmbeddedTable.Hex(row.Key), row => row.Value));

    static string? UncurlQuote(char c) => c switch
    {
        '\u02BC' or >= '\u2018' and <= '\u201B' => "'",
        >= '\u201C' and <= '\u201F' => "\"",
        _ => null,
    };

    static string FixLineBreaks(string text) =>
        text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n').Replace('\u0085', '\n');

    static string FixSurrogates(string text)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                result.Append(text[i]).Append(text[++i]);
            else
                result.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
        }
        return result.ToString();
    }

    [GeneratedRegex(@"\u001B\[((?:\d|;)*)([a-zA-Z])")]
    private static partial Regex TerminalEscape();

    // ASCII controls other than whitespace, deprecated Arabic format controls, the BOM, interlinear annotations and U+FFFC.
    static bool IsInvisibleControl(char c) => c is <= '\u0008' or '\u000B' or >= '\u000E' and <= '\u001F' or '\u007F'
        or >= '\u206A' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFC';

    static string MapCharacters(string text, Func<char, string?> map)
    {
        StringBuilder? result = null;
        for (int i = 0; i < text.Length; i++)
        {
            string? mapped = map(text[i]);
            if (mapped is null)
            {
                result?.Append(text[i]);
                continue;
            }
            result ??= new StringBuilder(text.Length).Append(text, 0, i);
            result.Append(mapped);
        }
        return result?.ToString() ?? text;
    }
}
