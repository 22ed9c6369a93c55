using Svi.Kernels;

namespace Svi.Testing;

/// <summary>
/// A weight mover for CPU-only tests, where host and device are one memory: a tensor sent to "the host" is saved and
/// overwritten with NaN, and restored when it comes back to "the device". A forward that touches weights a memory plan
/// left on the host therefore produces NaN instead of passing unnoticed. Keeps the bytes on the device and their peak.
/// </summary>
public sealed class GuardedWeightMover : IWeightMover, IDisposable
{
    readonly Dictionary<Tensor, Tensor> parked = new(ReferenceEqualityComparer.Instance);
    readonly HashSet<Tensor> onDevice = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every move, in order: the module and whether it went to the device.</summary>
    public List<(nn.Module Module, bool ToDevice)> Moves { get; } = [];
    public long DeviceBytes { get; private set; }
    public long PeakDeviceBytes { get; private set; }
    public Device Device => CPU;

    public void ToDevice(nn.Module module)
    {
        Moves.Add((module, true));
        using var noGrad = no_grad();
        foreach (var tensor in ModuleTensors.Of(module))
        {
            if (parked.Remove(tensor, out var saved))
            {
                tensor.copy_(saved);
                saved.Dispose();
            }
            if (onDevice.Add(tensor)) DeviceBytes += TensorMemory.ByteLength(tensor);
        }
        PeakDeviceBytes = Math.Max(PeakDeviceBytes, DeviceBytes);
    }

    public void ToHost(nn.Module module)
    {
        Moves.Add((module, false));
        using var noGrad = no_grad();
        foreach (var tensor in ModuleTensors.Of(module))
        {
            if (onDevice.Remove(tensor)) DeviceBytes -= TensorMemory.ByteLength(tensor);
            if (parked.ContainsKey(tensor)) continue;
            parked[tensor] = tensor.clone().DetachFromDisposeScope();
            tensor.fill_(float.NaN);
        }
    }

    /// <summary>How many times <paramref name="module"/> itself was sent to the device.</summary>
    public int TimesToDevice(nn.Module module) => Moves.Count(m => m.ToDevice && ReferenceEquals(m.Module, module));

    public void Dispose()
    {
        foreach (var saved in parked.Values) saved.Dispose();
        parked.Clear();
    }
}
