namespace Svi.Server.Quotas;

/// <summary>The <c>Svi:Quotas</c> section: what one API key may ask of a shared deployment.</summary>
public sealed class QuotaOptions
{
    /// <summary>Generations a key may have queued or running at once; the next create gets 429. 0: no cap.</summary>
    public int MaxActiveJobsPerKey { get; set; } = 8;
    /// <summary>Seconds of video a key may ask for per UTC day (jobs that did not fail or get cancelled). 0: no cap.</summary>
    public double MaxSecondsPerKeyPerDay { get; set; }
    /// <summary>The <c>Retry-After</c> sent with a 429 for too many active jobs: about one clip's render.</summary>
    public int ActiveJobsRetryAfterSeconds { get; set; } = 60;
}
