using System.Globalization;
using System.Text;
using static Svi.Inference.Text.EmbeddedTable;

namespace Svi.Inference.Text;

/// <summary>
/// Unicode NFC (canonical decomposition, canonical ordering, canonical composition, Hangul by formula) from tables
/// built into the assembly (Unicode 14, as Python's unicodedata on the reference machine). The server runs without ICU
/// (invariant globalization), where .NET's <c>string.Normalize</c> returns its input unchanged.
/// </summary>
public static class CanonicalComposition
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28;
    const int NCount = VCount * TCount, SCount = LCount * NCount;

    sealed record Tables(Dictionary<int, int[]> Decompositions, Dictionary<int, byte> CombiningClasses,
        Dictionary<(int, int), int> Composites);

    static readonly Lazy<Tables> Data = new(Load);

    public static string Normalize(string text)
    {
        // Below U+0300 nothing decomposes or combines: most prompts return here.
        if (text.All(c => c < '\u0300')) return text;
        var tables = Data.Value;
        var codePoints = Decompose(text, tables);
        SortCombiningMarks(codePoints, tables);
        Compose(codePoints, tables);
        var result = new StringBuilder(text.Length);
        foreach (int cp in codePoints) result.Append(char.ConvertFromUtf32(cp));
        return result.ToString();
    }

    static List<int> Decompose(string text, Tables tables)
    {
        var result = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int cp = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text[i], text[++i]) : text[i];
            if (cp is >= SBase and < SBase + SCount)
            {
                int index = cp - SBase;
                result.Add(LBase + index / NCount);
                result.Add(VBase + index % NCount / TCount);
                if (index % TCount != 0) result.Add(TBase + index % TCount);
            }
            else if (tables.Decompositions.TryGetValue(cp, out var decomposition)) result.AddRange(decomposition);
            else result.Add(cp);
        }
        return result;
    }

    // Within each run of combining marks, a stable sort by combining class.
    static void SortCombiningMarks(List<int> codePoints, Tables tables)
    {
        for (int i = 1; i < codePoints.Count; i++)
        {
            int cp = codePoints[i];
            int ccc = Class(cp, tables);
            if (ccc == 0) continue;
            int j = i;
            while (j > 0 && Class(codePoints[j - 1], tables) > ccc)
            {
                codePoints[j] = codePoints[j - 1];
                j--;
            }
            codePoints[j] = cp;
        }
    }

    static void Compose(List<int> codePoints, Tables tables)
    {
        if (codePoints.Count == 0) return;
        int starter = Class(codePoints[0], tables) == 0 ? 0 : -1;
        int lastClass = starter == 0 ? 0 : 256;
        int write = 1;
        for (int read = 1; read < codePoints.Count; read++)
        {
            int cp = codePoints[read];
            int ccc = Class(cp, tables);
            // A mark composes with the last starter unless a mark of the same or higher class sits between them.
            bool blocked = starter < 0 || (lastClass != 0 && lastClass >= ccc) || (lastClass == 0 && write - 1 != starter);
            if (!blocked && TryCompose(codePoints[starter], cp, tables) is { } composite)
            {
                codePoints[starter] = composite;
                continue;
            }
            if (ccc == 0) starter = write;
            lastClass = ccc;
            codePoints[write++] = cp;
        }
        codePoints.RemoveRange(write, codePoints.Count - write);
    }

    static int? TryCompose(int first, int second, Tables tables)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
            return SBase + ((first - LBase) * VCount + second - VBase) * TCount;
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
            return first + second - TBase;
        return tables.Composites.TryGetValue((first, second), out int composite) ? composite : null;
    }

    static int Class(int cp, Tables tables) => tables.CombiningClasses.GetValueOrDefault(cp);

    static Tables Load()
    {
        var tables = new Tables([], [], []);
        foreach (var line in Lines("Svi.Inference.Text.CanonicalComposition.txt"))
        {
            var fields = line.Split(' ');
            switch (fields[0])
            {
                case "d":
                    tables.Decompositions[Hex(fields[1])] = [.. fields.Skip(2).Select(Hex)];
                    break;
                case "c":
                    for (int cp = Hex(fields[1]); cp <= Hex(fields[2]); cp++)
                        tables.CombiningClasses[cp] = byte.Parse(fields[3], CultureInfo.InvariantCulture);
                    break;
                case "p":
                    tables.Composites[(Hex(fields[2]), Hex(fields[3]))] = Hex(fields[1]);
                    break;
            }
        }
        return tables;
    }
}
