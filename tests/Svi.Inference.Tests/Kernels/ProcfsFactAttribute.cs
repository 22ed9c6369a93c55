namespace Svi.Inference.Tests.Kernels;

/// <summary>A fact that reads this process's memory from Linux's procfs; skipped, with the reason shown, where there is none.</summary>
public sealed class ProcfsFactAttribute : FactAttribute
{
    public const string Status = "/proc/self/status";

    public ProcfsFactAttribute()
    {
        if (!File.Exists(Status)) Skip = $"needs Linux's procfs ({Status}) to measure anonymous memory";
    }
}
