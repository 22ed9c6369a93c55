using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Kernels;

/// <summary>Raw access to a CPU tensor's storage, for reading and writing files without managed copies.</summary>
public static partial class TensorMemory
{
    // TorchSharp exposes storage only as a Span<byte>, which cannot address tensors over 2 GB.
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr handle);

    public static IntPtr DataPointer(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU) throw new ArgumentException("tensor must be on the CPU", nameof(tensor));
        return THSTensor_data(tensor.Handle);
    }

    public static long ByteLength(Tensor tensor) => tensor.NumberOfElements * tensor.ElementSize;
}
