namespace Svi.Inference.Runtime;

public static class WeightMovers
{
    /// <summary>The mover a memory plan wants: one copy of each weight when nothing swaps, kept host copies when experts or blocks do.</summary>
    public static IWeightMover For(MemoryPlanKind plan, Device device) =>
        plan == MemoryPlanKind.AllResident ? new TorchWeightMover(device) : new HostCopyWeightMover(device);
}
