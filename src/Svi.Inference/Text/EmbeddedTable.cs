using System.Globalization;
using System.Text;

namespace Svi.Inference.Text;

/// <summary>
/// A character table built into the assembly: lines of <c>key TAB code points</c> (hex, space-separated), '#' for
/// comments; each row's value is the string of those code points.
/// </summary>
static class EmbeddedTable
{
    public static IEnumerable<(string Key, string Value)> Read(string resourceName) =>
        Lines(resourceName).Select(line =>
        {
            int tab = line.IndexOf('\t');
            return (line[..tab], string.Concat(line[(tab + 1)..].Split(' ').Select(hex => char.ConvertFromUtf32(Hex(hex)))));
        });

    /// <summary>The resource's lines without blank and '#' comment lines, for tables of other shapes.</summary>
    public static IEnumerable<string> Lines(string resourceName)
    {
        using var stream = typeof(EmbeddedTable).Assembly.GetManifestResourceStream(resourceName)
                           ?? throw new InvalidOperationException($"the table {resourceName} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') yield return line;
    }

    public static int Hex(string text) => int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
