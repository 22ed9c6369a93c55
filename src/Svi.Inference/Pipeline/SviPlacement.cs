using Svi.Inference.Runtime;
using TorchSharp;

namespace Svi.Inference.Pipeline;

/// <summary>
/// Where a model set goes: the DiT experts and VAE on <paramref name="Models"/>, the UMT5 encoder on
/// <paramref name="TextEncoder"/> (GPU, or CPU to save device memory), and how the experts share the device.
/// </summary>
/// <param name="Memory">both experts resident, one at a time (expert swap), or one at a time with only
/// <paramref name="ResidentBlocks"/> of its blocks resident and the rest streamed (block swap)</param>
/// <param name="BatchedGuidance">the plan leaves room for guidance's two prompts as one batch-2 forward</param>
/// <param name="DecodeFp8">FP8 expert weights are decoded once to the compute dtype at load and their LoRAs merged;
/// false: they stay FP8, decoded in every forward, with LoRAs on the fly</param>
public sealed record SviPlacement(Device Models, Device TextEncoder, MemoryPlanKind Memory = MemoryPlanKind.AllResident,
    int? ResidentBlocks = null, bool BatchedGuidance = false, bool DecodeFp8 = false)
{
    public static SviPlacement On(Device device) => new(device, device);

    /// <summary>The worker's runtime plan: its device, the text encoder and the experts where the memory plan puts them.</summary>
    public static SviPlacement From(RuntimePlan plan)
    {
        // A plain Device value: moving a module or tensor to it initialises the backend when a load really needs it.
        var device = plan.Device.CudaIndex is { } index ? new Device(DeviceType.CUDA, index) : CPU;
        var memory = plan.Memory;
        return new(device, memory.TextEncoder == TextEncoderPlacement.Cpu ? CPU : device, memory.Kind,
            memory.Kind == MemoryPlanKind.BlockSwap ? memory.ResidentBlocks : null, memory.BatchedGuidance,
            memory.Fp8 == Fp8Experts.DecodedAtLoad);
    }

    /// <summary>Experts on the device at once.</summary>
    public int ExpertCapacity => Memory == MemoryPlanKind.AllResident ? 2 : 1;

    public override string ToString() => Memory switch
    {
        MemoryPlanKind.AllResident => "both experts resident",
        MemoryPlanKind.ExpertSwap => "one expert resident at a time",
        _ => $"one expert at a time with {ResidentBlocks} blocks resident, the rest streamed",
    } + (DecodeFp8 ? ", FP8 decoded at load" : "");
}
