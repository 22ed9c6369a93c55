using System.Text;

namespace Svi.Inference.Text;

/// <summary>
/// Wan's prompt cleaning before tokenisation (<c>clean='whitespace'</c>): ftfy's text fixes (<see cref="FtfyTextFixes"/>;
/// only its mojibake repair is not reproduced), HTML references decoded twice, trimmed, every run of Unicode whitespace
/// collapsed to one space, trimmed again.
/// </summary>
public static class WanPromptCleaner
{
    public static string Clean(string prompt)
    {
        string text = HtmlCharacterReferences.Unescape(HtmlCharacterReferences.Unescape(FtfyTextFixes.FixText(prompt)));
        text = StripPython(text);
        return StripPython(CollapseWhitespace(text));
    }

    // The `regex` module's \s is the Unicode White_Space property, which is what char.IsWhiteSpace tests.
    static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        bool inRun = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inRun) result.Append(' ');
                inRun = true;
            }
            else
            {
                result.Append(c);
                inRun = false;
            }
        }
        return result.ToString();
    }

    // Python's str.strip() also treats the information separators U+001C…U+001F as whitespace.
    static string StripPython(string text)
    {
        int start = 0, end = text.Length;
        while (start < end && IsPythonWhitespace(text[start])) start++;
        while (end > start && IsPythonWhitespace(text[end - 1])) end--;
        return text[start..end];
    }

    static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
