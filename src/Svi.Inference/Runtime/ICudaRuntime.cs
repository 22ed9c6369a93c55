namespace Svi.Inference.Runtime;

/// <summary>What the CUDA runtime reports; behind an interface so start-up logic is testable without a GPU.</summary>
public interface ICudaRuntime
{
    /// <summary>Number of usable CUDA devices, or 0 with the reason when CUDA cannot be used.</summary>
    (int Count, string? Reason) Probe();
}
