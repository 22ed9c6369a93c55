using Prometheus;

namespace Svi.Server.Usage;

/// <summary><c>svi_video_seconds_total{resolution,mode}</c>: seconds of video delivered, as metered for usage.</summary>
public static class UsageMetrics
{
    private static readonly Counter VideoSeconds = Metrics.CreateCounter(
        "svi_video_seconds_total", "Seconds of video delivered by completed generations.", "resolution", "mode");

    public static void Delivered(UsageRecord usage)
    {
        if (usage.Seconds > 0) VideoSeconds.WithLabels(usage.Resolution, usage.Mode).Inc(usage.Seconds);
    }
}
