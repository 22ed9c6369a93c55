using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Svi.Server.Usage;

/// <summary>The body of <c>GET /v1/usage</c>: one row per group, and the total, with cost when a price sheet is configured.</summary>
public sealed record UsageReport(string Object, long Start, long End, string GroupBy, string? Currency,
    IReadOnlyList<UsageReport.Row> Data, UsageReport.Row Total)
{
    public sealed record Row(
        [property: JsonPropertyName("group")] string Group, long Jobs, long Completed, long Failed, long Cancelled,
        double Seconds, long Clips, double GpuSeconds, decimal? Cost);

    public static UsageReport Build(IReadOnlyList<UsageStore.Sum> sums, UsageGrouping groupBy, DateTimeOffset start, DateTimeOffset end,
        PriceSheet prices, KeyNames names)
    {
        Row Add(string group, IEnumerable<UsageStore.Sum> part)
        {
            var list = part.ToList();
            decimal? cost = prices.Configured ? list.Sum(s => prices.Cost(s.Resolution, s.Mode, s.Seconds) ?? 0) : null;
            return new Row(group, list.Sum(s => s.Jobs), list.Sum(s => s.Completed), list.Sum(s => s.Failed), list.Sum(s => s.Cancelled),
                Math.Round(list.Sum(s => s.Seconds), 3), list.Sum(s => s.Clips), Math.Round(list.Sum(s => s.GpuSeconds), 3), cost);
        }
        var rows = sums.GroupBy(s => groupBy == UsageGrouping.Key ? names.For(s.Group) : s.Group)
            .Select(g => Add(g.Key, g)).ToList();
        return new UsageReport("usage", start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds(), groupBy.ToString().ToLowerInvariant(),
            prices.Configured ? prices.Currency : null, rows, Add("total", sums));
    }

    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(GroupBy).Append(",jobs,completed,failed,cancelled,seconds,clips,gpu_seconds");
        if (Currency is not null) csv.Append(",cost_").Append(Currency.ToLowerInvariant());
        csv.Append('\n');
        foreach (var row in Data.Append(Total))
        {
            csv.Append(Escape(row.Group)).Append(',').Append(row.Jobs).Append(',').Append(row.Completed).Append(',').Append(row.Failed)
                .Append(',').Append(row.Cancelled).Append(',').Append(row.Seconds.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(row.Clips).Append(',').Append(row.GpuSeconds.ToString(CultureInfo.InvariantCulture));
            if (Currency is not null) csv.Append(',').Append(row.Cost?.ToString(CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    private static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
