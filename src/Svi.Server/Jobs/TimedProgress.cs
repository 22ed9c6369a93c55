using System.Diagnostics;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;

namespace Svi.Server.Jobs;

/// <summary>
/// Times steps and clips from the renderer's own progress reports (one after every denoising step, and one as a clip
/// enters decoding, interpolation and encoding, which are no steps), so the metrics
/// need nothing from the pipeline. A step is the time between two reports of the same clip; the first step of a clip
/// is left out because it also carries the clip's conditioning and the previous clip's encoding. A clip runs from the
/// end of the previous clip (the start of the run for the first) to its own last report, or to the end of the render.
/// </summary>
public sealed class TimedProgress(IProgress<RenderProgress> inner, string mode, string resolution, string recipe) : IProgress<RenderProgress>
{
    private readonly object gate = new();
    private long clipStarted = Stopwatch.GetTimestamp();
    private long lastReport = Stopwatch.GetTimestamp();
    private int clip = -1;
    private double fraction = -1;

    public void Report(RenderProgress value)
    {
        lock (gate)
        {
            long now = Stopwatch.GetTimestamp();
            if (value.Clip == clip && value.Fraction > fraction && value.Stage == RenderStage.Denoising)
                JobMetrics.Step(mode, resolution, recipe, Stopwatch.GetElapsedTime(lastReport, now));
            else if (value.Clip != clip)
            {
                if (clip >= 0)
                {
                    JobMetrics.Clip(mode, resolution, recipe, Stopwatch.GetElapsedTime(clipStarted, lastReport));
                    clipStarted = lastReport;
                }
                clip = value.Clip;
            }
            fraction = value.Fraction;
            lastReport = now;
        }
        inner.Report(value);
    }

    /// <summary>The render returned: the last clip ends now (its encoding included).</summary>
    public void Completed()
    {
        lock (gate)
        {
            if (clip >= 0) JobMetrics.Clip(mode, resolution, recipe, Stopwatch.GetElapsedTime(clipStarted));
            clip = -1;
        }
    }
}
