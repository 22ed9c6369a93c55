using System.Runtime.InteropServices;
using Serilog;
using TorchSharp;

namespace Svi.Inference.Runtime;

/// <summary>
/// For weights that move every clip or every step (expert and block swap): each tensor keeps a host copy for the whole
/// run (page-locked on CUDA, so copies to the device are fast and asynchronous), a move to the device copies it in,
/// and a move to the host only drops the device copy: weights never change, so nothing is copied back. A module's
/// tensors stay the same objects throughout; off the device they are empty, so a forward that touches one fails.
/// </summary>
public sealed class HostCopyWeightMover(Device device) : IWeightMover, IDisposable
{
    static readonly ILogger Log = Serilog.Log.ForContext<HostCopyWeightMover>();
    readonly Dictionary<Tensor, Tensor> hostCopies = new(ReferenceEqualityComparer.Instance);
    readonly HashSet<nn.Module> adopted = new(ReferenceEqualityComparer.Instance);
    bool pinning = device.type == DeviceType.CUDA;

    public Device Device { get; } = device;

    public void ToDevice(nn.Module module)
    {
        Adopt(module);
        using var noGrad = no_grad();
        foreach (var tensor in ModuleTensors.Of(module))
        {
            using var onDevice = hostCopies[tensor].to(Device, non_blocking: true);
            tensor.set_(onDevice);
        }
    }

    public void ToHost(nn.Module module)
    {
        Adopt(module);
        using var noGrad = no_grad();
        foreach (var tensor in ModuleTensors.Of(module)) Release(tensor);
    }

    // The first move of a module takes its host copies, puts its tensors on the device for good (Module.to replaces
    // them once; set_ cannot cross devices) and empties them; after that only their storage comes and goes.
    void Adopt(nn.Module module)
    {
        if (!adopted.Add(module)) return;
        using var noGrad = no_grad();
        var copies = ModuleTensors.Named(module).ToDictionary(t => t.Name, t => Keep(t.Tensor));
        module.to(Device);
        foreach (var (name, tensor) in ModuleTensors.Named(module))
        {
            hostCopies[tensor] = copies[name];
            Release(tensor);
        }
    }

    Tensor Keep(Tensor tensor)
    {
        if (pinning)
        {
            try
            {
                return tensor.pin_memory().DetachFromDisposeScope();
            }
            catch (Exception e) when (e is ExternalException or InvalidOperationException)
            {
                pinning = false;
                Log.Warning("Host memory for swapped weights cannot be page-locked ({Reason}); using pageable memory, " +
                            "so each swap copies more slowly", e.Message);
            }
        }
        // A handle of its own on the same storage: the tensor's storage is what the copy keeps.
        return tensor.detach().DetachFromDisposeScope();
    }

    void Release(Tensor tensor)
    {
        using var nothing = empty(0, dtype: tensor.dtype, device: tensor.device);
        tensor.set_(nothing);
    }

    /// <summary>Frees the host copies (page-locked memory is not left to the garbage collector).</summary>
    public void Dispose()
    {
        foreach (var copy in hostCopies.Values) copy.Dispose();
        hostCopies.Clear();
        adopted.Clear();
    }
}
