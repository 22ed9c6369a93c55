using System.Diagnostics;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;

namespace Svi.Server.Cli;

/// <summary><c>./svi generate</c>'s one-line bar: fraction done, clips finished, the stage, progress per minute and the time left at that rate.</summary>
internal sealed class RenderProgressBar(TextWriter writer) : IProgress<RenderProgress>
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    double? startFraction;

    public void Report(RenderProgress value)
    {
        startFraction ??= value.Fraction;
        writer.Write("\r" + Line(value, clock.Elapsed));
    }

    public string Line(RenderProgress value, TimeSpan elapsed)
    {
        double fraction = value.Fraction;
        const int width = 30;
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        double done = fraction - (startFraction ?? 0);
        string rate = done > 0 ? $"{done * 100 / Math.Max(elapsed.TotalMinutes, 1e-9):F1}%/min" : "–";
        string eta = done > 0 ? Format(TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / done)) : "–";
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:F1}%  clip {value.ClipsCompleted}/{value.ClipsTotal} done, {value.Stage.Name(),-13}  {rate}  ETA {eta}  ";
    }

    public void Finish() => writer.WriteLine();

    static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}
