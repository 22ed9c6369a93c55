namespace Svi.Inference.Runtime;

/// <summary>
/// Recognises libtorch's report that the GPU ran out of memory. It reaches .NET as a plain exception (TorchSharp
/// rethrows native errors with their message), so the message is what tells it apart.
/// </summary>
public static class DeviceOutOfMemory
{
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e.Message.Contains("CUDA out of memory", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("CUDA error: out of memory", StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }
}
