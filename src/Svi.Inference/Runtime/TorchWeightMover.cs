using TorchSharp;

namespace Svi.Inference.Runtime;

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
