using Svi.Kernels.Safetensors;

namespace Svi.Inference.Runtime;

public enum MemoryPlanKind
{
    /// <summary>Both experts, LoRAs and VAE stay on the device (80 GB class for bf16, 48 GB for fp8).</summary>
    AllResident,
    /// <summary>One expert on the device, the other in host memory; they trade places at the high→low switch.</summary>
    ExpertSwap,
    /// <summary>Only some transformer blocks stay on the device; the rest stream from host memory each step.</summary>
    BlockSwap,
}

public enum TextEncoderPlacement { Gpu, Cpu }

/// <param name="ResidentBlocks">transformer blocks per expert kept on the device (all of them unless BlockSwap)</param>
/// <param name="DeviceBytes">estimated peak device memory of this plan</param>
/// <param name="HostBytes">estimated host memory the plan pins for swapped weights and a CPU text encoder</param>
/// <param name="Reason">why this plan was chosen, for the start-up log</param>
/// <param name="BatchedGuidance">the reserve covers a batch-2 forward, so guidance runs both prompts at once</param>
public sealed record MemoryPlan(
    MemoryPlanKind Kind, TextEncoderPlacement TextEncoder, int ResidentBlocks,
    long DeviceBytes, long HostBytes, string Reason, bool BatchedGuidance = false)
{
    public override string ToString() =>
        $"{Kind} (text encoder on {TextEncoder}, {ResidentBlocks} resident blocks per expert, " +
        $"guidance {(BatchedGuidance ? "batched (one batch-2 forward)" : "as two forwards")}, " +
        $"~{DeviceBytes / (double)(1L << 30):F1} GiB device, ~{HostBytes / (double)(1L << 30):F1} GiB host): {Reason}";
}

/// <summary>Bytes of the installed weights, read from the files of one variant.</summary>
/// <param name="ExpertBytes">one DiT expert (the larger of high and low)</param>
/// <param name="LoraBytes">the LoRA(s) applied to one expert</param>
/// <param name="Blocks">transformer blocks per expert; most of an expert's bytes are in them</param>
public sealed record WeightFootprint(long ExpertBytes, long LoraBytes, long TextEncoderBytes, long VaeBytes, int Blocks = 40)
{
    /// <summary>
    /// Device bytes of the installed variant's files: FP8 stays FP8 and bf16/fp16 stay 2 bytes, while float32 tensors
    /// (the official Wan shards) count as bf16, which is what the loader converts them to.
    /// </summary>
    public static WeightFootprint FromFiles(ModelFiles files)
    {
        if (files.Footprint is { } known) return known;
        static long Size(IEnumerable<string> paths) => paths
            .Where(p => p.EndsWith(".safetensors", StringComparison.Ordinal) || p.EndsWith(".pth", StringComparison.Ordinal))
            .Sum(ResidentBytes);
        long expert = Math.Max(Size(files.Get(ModelRole.DitHigh)), Size(files.Get(ModelRole.DitLow)));
        long lora = Math.Max(Size(files.Get(ModelRole.LoraHigh)), Size(files.Get(ModelRole.LoraLow)));
        return new WeightFootprint(expert, lora, Size(files.Get(ModelRole.TextEncoder)), Size(files.Get(ModelRole.Vae)));
    }

    static long ResidentBytes(string path)
    {
        if (!File.Exists(path)) return 0;
        if (!path.EndsWith(".safetensors", StringComparison.Ordinal)) return new FileInfo(path).Length;
        try
        {
            using var file = SafetensorsFile.Open(path);
            return file.Entries.Values.Sum(e => e.DType == "F32" ? e.ByteLength / 2 : e.ByteLength);
        }
        catch (SafetensorsFormatException)
        {
            return new FileInfo(path).Length; // verify reports the broken header; planning only needs a size
        }
    }

    /// <summary>Bytes of one transformer block, assuming the blocks hold ~98% of an expert (true for Wan A14B).</summary>
    public long BlockBytes => (long)(ExpertBytes * 0.98 / Blocks);
    public long NonBlockBytes => ExpertBytes - BlockBytes * Blocks;
}
