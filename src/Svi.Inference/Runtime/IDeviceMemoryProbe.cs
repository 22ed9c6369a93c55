namespace Svi.Inference.Runtime;

/// <summary>Free and total memory per device index, and host memory.</summary>
public interface IDeviceMemoryProbe
{
    GpuMemory? Gpu(int index);
    long? HostAvailableBytes();
}
