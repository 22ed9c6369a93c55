using System.Runtime.InteropServices;

namespace Svi.Kernels.Native;

/// <summary>
/// Tunes glibc's allocator for tensor work on the host. libtorch allocates every CPU tensor with malloc; by default glibc
/// serves blocks of a few MB and more with a fresh mmap and unmaps them on free, so each new full-resolution VAE
/// activation (12–50 MB) is page-faulted and zeroed by the kernel again: a third of a tiny CPU decode's time was
/// system time. Raising the mmap threshold to 256 MiB and the trim threshold to 512 MiB lets freed blocks be reused
/// (measurements in bench/RESULTS.md: system time of a tiny clip decode 7.7 → 1.4 s, 20 MB more peak memory). Blocks over
/// 256 MiB (weights read into memory, whole-clip tensors) still come from mmap and go back to the system when freed.
/// </summary>
public static partial class HostAllocator
{
    /// <summary>Allocations from this size up get their own mapping.</summary>
    public const int MmapThresholdBytes = 256 << 20;

    /// <summary>Free memory at the top of the heap beyond this is given back to the system.</summary>
    public const int TrimThresholdBytes = 512 << 20;

    // mallopt parameters (malloc.h)
    const int MTrimThreshold = -1, MMmapThreshold = -3;

    /// <summary>
    /// Applies the thresholds; false (and nothing changed) where the C library is not glibc or refuses them.
    /// <c>MALLOC_MMAP_THRESHOLD_</c> / <c>MALLOC_TRIM_THRESHOLD_</c> set by the operator take precedence.
    /// </summary>
    public static bool TuneForTensors()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null ||
            Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null) return false;
        try
        {
            return mallopt(MMmapThreshold, MmapThresholdBytes) == 1 && mallopt(MTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}
