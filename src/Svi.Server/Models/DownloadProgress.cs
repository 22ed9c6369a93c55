using System.Diagnostics;

namespace Svi.Server.Models;

/// <summary>Byte counts of a pull across parallel downloads; read by the progress bar, written by the downloaders.</summary>
public sealed class DownloadProgress
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    long totalBytes, doneBytes, bytesThisRun;
    int active;

    public long TotalBytes => Interlocked.Read(ref totalBytes);
    public long DoneBytes => Interlocked.Read(ref doneBytes);
    public int ActiveFiles => Volatile.Read(ref active);
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Bytes per second over this run (resumed bytes already on disk do not count).</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Interlocked.Read(ref bytesThisRun) / Elapsed.TotalSeconds : 0;

    public TimeSpan? Eta
    {
        get
        {
            double rate = Rate;
            long left = TotalBytes - DoneBytes;
            return rate > 0 && left >= 0 ? TimeSpan.FromSeconds(left / rate) : null;
        }
    }

    public void AddExpected(long bytes) => Interlocked.Add(ref totalBytes, bytes);
    /// <summary>Bytes already on disk from an earlier, interrupted run.</summary>
    public void AddResumed(long bytes) => Interlocked.Add(ref doneBytes, bytes);
    public void AddReceived(long bytes)
    {
        Interlocked.Add(ref doneBytes, bytes);
        Interlocked.Add(ref bytesThisRun, bytes);
    }
    /// <summary>Bytes that must be fetched again (a restart from zero, a deleted bad file).</summary>
    public void Discard(long bytes) => Interlocked.Add(ref doneBytes, -bytes);
    public void FileStarted() => Interlocked.Increment(ref active);
    public void FileEnded() => Interlocked.Decrement(ref active);
}
