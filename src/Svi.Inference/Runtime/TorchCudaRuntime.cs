using System.Runtime.InteropServices;
using TorchSharp;

namespace Svi.Inference.Runtime;

/// <summary>Asks libtorch whether CUDA is usable. The CPU build of TorchSharp simply reports no device.</summary>
public sealed class TorchCudaRuntime : ICudaRuntime
{
    public (int Count, string? Reason) Probe()
    {
        try
        {
            if (!torch.cuda.is_available()) return (0, "libtorch reports no CUDA device (CPU build of TorchSharp, or no driver)");
            return (torch.cuda.device_count(), null);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or ExternalException
                                       or InvalidOperationException or NotSupportedException)
        {
            return (0, $"libtorch could not be loaded: {e.GetBaseException().Message}");
        }
    }
}
