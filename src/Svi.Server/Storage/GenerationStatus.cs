namespace Svi.Server.Storage;

public static class GenerationStatus
{
    public const string Queued = "queued", InProgress = "in_progress", Completed = "completed", Failed = "failed", Cancelled = "cancelled";
}
