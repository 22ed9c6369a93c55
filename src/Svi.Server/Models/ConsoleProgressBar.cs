namespace Svi.Server.Models;

/// <summary>
/// Draws a pull's progress on stderr: bar, bytes, rate and ETA, redrawn in place on a terminal, and as a line every
/// ten seconds when stderr is redirected (CI logs, docker logs).
/// </summary>
public sealed class ConsoleProgressBar : IAsyncDisposable
{
    readonly DownloadProgress progress;
    readonly TextWriter output;
    readonly bool interactive;
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public ConsoleProgressBar(DownloadProgress progress, TextWriter? output = null, bool? interactive = null)
    {
        this.progress = progress;
        this.output = output ?? Console.Error;
        this.interactive = interactive ?? !Console.IsErrorRedirected;
        loop = Run();
    }

    async Task Run()
    {
        var period = interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token)) Draw();
        }
        catch (OperationCanceledException) { }
    }

    void Draw()
    {
        string line = Render(progress.DoneBytes, progress.TotalBytes, progress.Rate, progress.Eta, progress.ActiveFiles);
        if (interactive) output.Write("\r" + line.PadRight(Math.Max(line.Length, 100)));
        else output.WriteLine(line);
    }

    /// <summary>One progress line, e.g. <c>[#########-----------]  45%  12.3/28.6 GiB  85.2 MiB/s  ETA 3m12s  3 active</c>.</summary>
    public static string Render(long done, long total, double bytesPerSecond, TimeSpan? eta, int active, int width = 30)
    {
        double fraction = total > 0 ? Math.Clamp(done / (double)total, 0, 1) : 0;
        int filled = (int)Math.Round(fraction * width);
        string etaText = eta is { } e && e < TimeSpan.FromDays(10) ? Duration(e) : "--";
        return $"[{new string('#', filled)}{new string('-', width - filled)}] {fraction * 100,3:F0}%  " +
               $"{Bytes(done)}/{Bytes(total)}  {Bytes((long)bytesPerSecond)}/s  ETA {etaText}  {active} active";
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):F1} KiB",
        _ => $"{bytes} B",
    };

    static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        Draw();
        if (interactive) output.WriteLine();
        stop.Dispose();
    }
}
