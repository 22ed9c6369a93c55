using Svi.Inference.Pipeline;
using Svi.Server.Storage;

namespace Svi.Server.Usage;

/// <summary>
/// One row of <c>usage_records</c>: what one finished job cost its key. <see cref="Seconds"/> is the video delivered
/// (frames ÷ fps of a completed job; 0 for a failed or cancelled one, which delivers nothing); <see cref="GpuSeconds"/>
/// is the worker's time from first start to end, whatever the outcome.
/// </summary>
public sealed record UsageRecord(
    string GenerationId, string Owner, string Status, double Seconds, int Clips, string Resolution, string Mode,
    string Recipe, int Fps, double GpuSeconds, DateTimeOffset FinishedAt)
{
    public static UsageRecord Of(GenerationRecord g)
    {
        var finished = g.CompletedAt ?? DateTimeOffset.UtcNow;
        bool completed = g.Status == GenerationStatus.Completed;
        var s = g.Spec;
        double seconds = !completed ? 0 : g.Frames is > 0 && s.Fps > 0 ? (double)g.Frames.Value / s.Fps : s.DurationSeconds;
        return new UsageRecord(g.Id, g.Owner, g.Status, seconds, g.ClipsCompleted,
            $"{s.Width}x{s.Height}", g.Mode ?? SviModes.For(s).Name(), s.Recipe.Name(), s.Fps,
            g.StartedAt is { } started ? Math.Round(Math.Max(0, (finished - started).TotalSeconds), 3) : 0, finished);
    }
}
