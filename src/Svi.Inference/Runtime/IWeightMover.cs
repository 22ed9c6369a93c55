using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Runtime;

/// <summary>Moves a module's parameters and buffers between host memory and the compute device.</summary>
/// <remarks>The seam swap plans move weights through, so a test can see (and police) every move.</remarks>
public interface IWeightMover
{
    void ToDevice(nn.Module module, Device device);
    void ToHost(nn.Module module);
}

/// <summary>
/// TorchSharp's <c>Module.to</c>: every tensor is copied to the target and the original freed, so a module lives in
/// one place at a time. Moving to the place a module already is copies nothing (the CPU-only case).
/// </summary>
public sealed class TorchWeightMover : IWeightMover
{
    public static TorchWeightMover Instance { get; } = new();

    public void ToDevice(nn.Module module, Device device) => module.to(device);
    public void ToHost(nn.Module module) => module.to(CPU);
}
