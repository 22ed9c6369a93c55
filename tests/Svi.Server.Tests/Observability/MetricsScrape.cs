using System.Globalization;

namespace Svi.Server.Tests.Observability;

/// <summary>One scrape of a Prometheus text exposition: every sample line as (name, labels, value).</summary>
public sealed partial class MetricsScrape
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples { get; }

    private MetricsScrape(IReadOnlyList<Sample> samples) => Samples = samples;

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();

    public static async Task<MetricsScrape> ReadAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/metrics");
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || SampleLine().Match(line) is not { Success: true } m) continue;
            var labels = Label().Matches(m.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            samples.Add(new Sample(m.Groups[1].Value, labels, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        }
        return new MetricsScrape(samples);
    }

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    /// <summary>The value of the sample named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when absent.</summary>
    public double Value(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);
}
