using Prometheus;

namespace Svi.Server.Jobs;

/// <summary>
/// Prometheus series for generations (served at <c>/metrics</c>; a worker without the API serves them on
/// <c>Svi:Metrics:WorkerPort</c>). <c>mode</c> is <c>i2v</c>, <c>t2v-quality</c> or <c>t2v-fast</c>; <c>resolution</c> is WxH; <c>recipe</c> is the
/// sampling recipe the generation runs with (<c>distilled</c>, <c>reference</c>).
/// </summary>
public static class JobMetrics
{
    private static readonly Counter Submitted = Metrics.CreateCounter(
        "svi_generations_submitted_total", "Generations accepted, by API surface.", "surface");
    private static readonly Counter FinishedTotal = Metrics.CreateCounter(
        "svi_generations_finished_total", "Generation runs that ended, by outcome.", "status");
    private static readonly Counter Errors = Metrics.CreateCounter(
        "svi_generation_errors_total", "Generations that failed, by error code.", "code");
    private static readonly Histogram RenderSeconds = Metrics.CreateHistogram(
        "svi_generation_render_seconds", "Wall time of completed renders.",
        new HistogramConfiguration { LabelNames = ["mode", "resolution", "recipe"], Buckets = Histogram.ExponentialBuckets(10, 2, 12) });
    private static readonly Histogram ClipSeconds = Metrics.CreateHistogram(
        "svi_clip_seconds", "Wall time per rendered clip (the first clip of a run includes loading the models).",
        new HistogramConfiguration { LabelNames = ["mode", "resolution", "recipe"], Buckets = Histogram.ExponentialBuckets(0.5, 2, 14) });
    private static readonly Histogram StepSeconds = Metrics.CreateHistogram(
        "svi_step_seconds", "Wall time per denoising step within a clip (both experts, every block).",
        new HistogramConfiguration { LabelNames = ["mode", "resolution", "recipe"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });

    public static void Accepted(string surface) => Submitted.WithLabels(surface).Inc();

    public static void Finished(string status) => FinishedTotal.WithLabels(status).Inc();

    public static void Failed(string code) => Errors.WithLabels(code).Inc();

    public static void Completed(string mode, string resolution, string recipe, TimeSpan elapsed) =>
        RenderSeconds.WithLabels(mode, resolution, recipe).Observe(elapsed.TotalSeconds);

    public static void Clip(string mode, string resolution, string recipe, TimeSpan elapsed) =>
        ClipSeconds.WithLabels(mode, resolution, recipe).Observe(elapsed.TotalSeconds);

    public static void Step(string mode, string resolution, string recipe, TimeSpan elapsed) =>
        StepSeconds.WithLabels(mode, resolution, recipe).Observe(elapsed.TotalSeconds);
}
