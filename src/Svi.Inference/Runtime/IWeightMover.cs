using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Runtime;

/// <summary>Moves a module's parameters and buffers between host memory and one compute device.</summary>
/// <remarks>The seam swap plans move weights through, so a test can see (and police) every move.</remarks>
public interface IWeightMover
{
    Device Device { get; }
    void ToDevice(nn.Module module);
    void ToHost(nn.Module module);
}

/// <summary>
/// TorchSharp's <c>Module.to</c>: every tensor is copied to the target and the original freed, so a module lives in
/// one place at a time and nothing is kept twice. Moving to where a module already is copies nothing (the CPU-only
/// case). For weights that rarely move: the all-resident plan.
/// </summary>
public sealed class TorchWeightMover(Device device) : IWeightMover
{
    public Device Device { get; } = device;
    public void ToDevice(nn.Module module) => module.to(Device);
    public void ToHost(nn.Module module) => module.to(CPU);
}

public static class WeightMovers
{
    /// <summary>The mover a memory plan wants: one copy of each weight when nothing swaps, kept host copies when experts or blocks do.</summary>
    public static IWeightMover For(MemoryPlanKind plan, Device device) =>
        plan == MemoryPlanKind.AllResident ? new TorchWeightMover(device) : new HostCopyWeightMover(device);
}
