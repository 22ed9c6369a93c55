namespace Svi.Server.Hosting;

/// <summary>The <c>Svi:Storage</c> section: how much of the data volume stays free, and how often it is looked at.</summary>
public sealed class StorageOptions
{
    /// <summary>1 GiB: PostgreSQL's next WAL segments and table growth, with room to spare for the MP4s being joined.</summary>
    public const long DefaultMinFreeBytes = 1L << 30;

    /// <summary>
    /// The reserve: a create is refused (507 <c>storage_full</c>) and a queued job waits when its estimated bytes would
    /// leave less than this free on the data volume; <c>/readyz</c> answers not ready below it.
    /// </summary>
    public long MinFreeBytes { get; set; } = DefaultMinFreeBytes;
    /// <summary>How often a job waiting for room looks at the free space again.</summary>
    public double WaitSeconds { get; set; } = 10;
    /// <summary>How often each process samples the data volume for its gauges and the low-space warning.</summary>
    public double SampleSeconds { get; set; } = 15;
}
