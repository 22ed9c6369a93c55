namespace Svi.Server.Tests.Observability;

/// <summary>
/// The metric names a PromQL expression reads: the identifiers left once strings, label matchers, ranges, grouping
/// clauses and dashboard variables are taken out, less function calls, aggregation keywords and numbers; and the
/// labels it groups by.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)|\$\w+")]
    private static partial Regex MatchersRangesGroupingsAndVariables();

    [GeneratedRegex(@"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(?:by|without)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    /// <summary>The labels an expression's <c>by (…)</c> and <c>without (…)</c> clauses name: the series must carry them.</summary>
    public static IReadOnlyList<string> GroupingLabels(string expression) =>
        [.. Grouping().Matches(Strings().Replace(expression, " "))
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct()];

    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var bare = MatchersRangesGroupingsAndVariables().Replace(Strings().Replace(expression, " "), " ");
        return [.. Identifier().Matches(bare)
            .Where(m => !m.Groups[2].Success && !Keywords.Contains(m.Groups[1].Value.ToLowerInvariant()))
            .Select(m => m.Groups[1].Value).Distinct()];
    }
}
