namespace Svi.Inference.Runtime;

/// <summary>Where the two DiT experts live while sampling.</summary>
public enum ExpertResidency
{
    /// <summary>Both experts on the device: no transfers.</summary>
    AllResident,
    /// <summary>The active expert on the device, the other in CPU memory; swapped once at the timestep boundary.</summary>
    OneExpertResident,
    /// <summary>
    /// The active expert's non-block weights and <see cref="MemoryPlan.ResidentBlocks"/> of its blocks stay on the
    /// device; the other blocks are copied in before their forward and dropped after.
    /// </summary>
    BlockSwap,
}

/// <summary>What a device must hold: sizes in bytes, as stored (FP8 weights count one byte per element).</summary>
/// <param name="ExpertBytes">One expert's weights (blocks plus the rest).</param>
/// <param name="BlockBytes">One transformer block of an expert.</param>
/// <param name="Blocks">Blocks per expert.</param>
/// <param name="WorkingBytes">Activations, attention, latents, VAE decode and the text encoder's output at the clip size.</param>
public sealed record MemoryDemand(long ExpertBytes, long BlockBytes, int Blocks, long WorkingBytes, int Experts = 2)
{
    public long NonBlockBytes => ExpertBytes - BlockBytes * Blocks;
}

/// <summary>The plan chosen for a device, with the numbers that decided it.</summary>
public sealed record MemoryPlan(ExpertResidency Residency, int ResidentBlocks, long FreeBytes, long PlannedBytes, string Reason);

/// <summary>A device too small for even one block swapped at a time: names what was needed and what was free.</summary>
public sealed class DeviceMemoryException(string message) : Exception(message);

/// <summary>
/// Chooses how the experts live on a device from its free memory: everything resident when it fits, else one
/// expert resident and the other on the CPU, else block swap with as many blocks resident as fit. A safety
/// margin is kept free for the allocator's fragmentation and libtorch's workspace.
/// </summary>
public static class MemoryPlanner
{
    public const double DefaultMargin = 0.08;

    public static MemoryPlan Choose(long freeBytes, MemoryDemand demand, double margin = DefaultMargin)
    {
        if (freeBytes <= 0) throw new ArgumentOutOfRangeException(nameof(freeBytes), "free memory must be positive");
        long usable = (long)(freeBytes * (1 - margin));
        long all = demand.ExpertBytes * demand.Experts + demand.WorkingBytes;
        if (all <= usable)
            return new MemoryPlan(ExpertResidency.AllResident, demand.Blocks, freeBytes, all,
                $"all {demand.Experts} experts ({Gib(demand.ExpertBytes * demand.Experts)}) and the working set ({Gib(demand.WorkingBytes)}) fit in {Gib(usable)}");
        long one = demand.ExpertBytes + demand.WorkingBytes;
        if (one <= usable)
            return new MemoryPlan(ExpertResidency.OneExpertResident, demand.Blocks, freeBytes, one,
                $"one expert ({Gib(demand.ExpertBytes)}) and the working set fit in {Gib(usable)}, both do not ({Gib(all)})");
        // Block swap needs the fixed part, one block streaming in while another computes, and the working set.
        long fixedPart = demand.NonBlockBytes + demand.WorkingBytes + 2 * demand.BlockBytes;
        if (demand.BlockBytes <= 0 || fixedPart > usable)
            throw new DeviceMemoryException(
                $"the device has {Gib(freeBytes)} free ({Gib(usable)} usable); even block swap needs {Gib(fixedPart)} " +
                $"(non-block weights {Gib(demand.NonBlockBytes)}, working set {Gib(demand.WorkingBytes)}, two blocks in flight). " +
                "Use FP8 weights, a smaller resolution, or a larger device.");
        int resident = (int)Math.Min(demand.Blocks, (usable - fixedPart) / demand.BlockBytes);
        long planned = fixedPart + resident * demand.BlockBytes;
        return new MemoryPlan(ExpertResidency.BlockSwap, resident, freeBytes, planned,
            $"one expert ({Gib(one)} with the working set) does not fit in {Gib(usable)}; {resident} of {demand.Blocks} blocks stay resident");
    }

    static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";
}
