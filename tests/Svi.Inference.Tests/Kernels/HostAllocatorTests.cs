using Svi.Kernels.Native;

namespace Svi.Inference.Tests.Kernels;

public class HostAllocatorTests
{
    [Fact]
    public void Glibc_takes_the_tensor_thresholds()
    {
        // The dev and CI machines (Debian, glibc) and the CUDA image (Ubuntu) all accept them; musl would not.
        Assert.True(OperatingSystem.IsLinux());
        Assert.True(HostAllocator.TuneForTensors());
    }
}
