using Serilog;
using Svi.Inference.Wan;

namespace Svi.Inference.Runtime;

/// <summary>Chooses device and memory plan at worker start and logs them.</summary>
public static class RuntimePlanner
{
    public static RuntimePlan Plan(InferenceOptions options, ModelFiles files, ICudaRuntime cuda, IDeviceMemoryProbe memory, ILogger log)
    {
        var device = DeviceSelector.Select(options.Device, cuda, memory, log);
        MemoryPlanner.TryParseOverride(options.MemoryPlan, out var forced);
        MemoryPlanner.TryParseTextEncoderPlacement(options.TextEncoderDevice, out var textEncoder);
        var weights = WeightFootprint.FromFiles(files);
        // The DiT's measured activation formula at the largest clip, unless the configuration fixes a reserve; a batch-2
        // forward (guidance's two prompts at once) needs its own extra on top.
        long derived = DitActivations.ReserveBytes(WanConfig.I2vA14B, batch: 1);
        long reserve = options.ActivationReserveGiB is { } gib ? (long)(gib * (1L << 30)) : derived;
        long batchedReserve = reserve + DitActivations.ReserveBytes(WanConfig.I2vA14B, batch: 2) - derived;
        log.Information("Activation reserve {ReserveGiB:F1} GiB ({Source}), {BatchedGiB:F1} GiB with batched guidance",
            reserve / (double)(1L << 30), options.ActivationReserveGiB is null ? "DiT formula at 1280x720, one clip" : "configured",
            batchedReserve / (double)(1L << 30));

        MemoryPlan plan;
        if (!device.IsCuda)
        {
            // On the CPU host and device memory are one pool; there is nothing to swap between.
            plan = MemoryPlanner.ForCpu(memory.HostAvailableBytes(), weights);
        }
        else if (device.FreeBytes is not { } free)
        {
            log.Warning("Free memory of {Device} could not be read (nvidia-smi missing?); assuming block swap with the text encoder on the CPU",
                device.Name);
            plan = MemoryPlanner.Choose(24L << 30, memory.HostAvailableBytes(), weights, reserve,
                forced ?? MemoryPlanKind.BlockSwap, textEncoder ?? TextEncoderPlacement.Cpu);
        }
        else
        {
            plan = MemoryPlanner.Choose(free, memory.HostAvailableBytes(), weights, reserve, forced, textEncoder, batchedReserve);
        }
        log.Information("Memory plan for {Variant} on {Device}: {Plan}", files.Variant, device.Name, plan.ToString());
        return new RuntimePlan(device, plan);
    }
}
