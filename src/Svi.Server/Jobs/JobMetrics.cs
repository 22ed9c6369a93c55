using Prometheus;

namespace Svi.Server.Jobs;

/// <summary>Prometheus series for generations (served at <c>/metrics</c>).</summary>
public static class JobMetrics
{
    private static readonly Counter Submitted = Metrics.CreateCounter(
        "svi_generations_submitted_total", "Generations accepted, by API surface.", "surface");
    private static readonly Counter FinishedTotal = Metrics.CreateCounter(
        "svi_generations_finished_total", "Generation runs that ended, by outcome.", "status");
    private static readonly Histogram RenderSeconds = Metrics.CreateHistogram(
        "svi_generation_render_seconds", "Wall time of completed renders.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(10, 2, 12) });

    public static void Accepted(string surface) => Submitted.WithLabels(surface).Inc();

    public static void Finished(string status, TimeSpan elapsed)
    {
        FinishedTotal.WithLabels(status).Inc();
        if (status == "completed") RenderSeconds.Observe(elapsed.TotalSeconds);
    }
}
