namespace Svi.Server.Hosting;

public sealed class JobOptions
{
    /// <summary>
    /// How long a job fetched by a worker stays invisible to other workers without a heartbeat. With the sliding
    /// timeout a live worker keeps extending it, so this only bounds how soon a killed worker's job is retried.
    /// </summary>
    public double InvisibilityTimeoutSeconds { get; set; } = 300;
    /// <summary>How often a running job checks for cancellation and persists its progress.</summary>
    public double ProgressIntervalSeconds { get; set; } = 1;
    /// <summary>How long a stopping worker waits for its job to reach a cancellation point.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 15;
    /// <summary>
    /// How often each process looks for queued or running generations whose Hangfire job is gone, and for Hangfire
    /// locks whose holder's connection is closed (a killed process), and repairs both. It also runs at start.
    /// </summary>
    public double RecoverySweepSeconds { get; set; } = 5;
}
