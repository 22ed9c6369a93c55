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

/// <summary>How the FP8 linears of the experts are held (the fp8 variant; other variants store no FP8).</summary>
public enum Fp8Experts
{
    /// <summary>The experts store no FP8 weights.</summary>
    None,
    /// <summary>Decoded once to bf16 at load, every LoRA merged into them: no per-forward decode, twice the bytes.</summary>
    DecodedAtLoad,
    /// <summary>Kept as FP8 bytes and a scale, decoded in every forward; LoRAs run on the fly as rank-r matmuls.</summary>
    DecodedPerForward,
}

/// <param name="ResidentBlocks">transformer blocks per expert kept on the device (all of them unless BlockSwap)</param>
/// <param name="DeviceBytes">estimated peak device memory of this plan</param>
/// <param name="HostBytes">estimated host memory the plan pins for swapped weights and a CPU text encoder</param>
/// <param name="Reason">why this plan was chosen, for the start-up log</param>
/// <param name="BatchedGuidance">the reserve covers a batch-2 forward, so guidance runs both prompts at once</param>
/// <param name="Fp8">whether FP8 experts are decoded once at load or in every forward (the bytes above follow it)</param>
public sealed record MemoryPlan(
    MemoryPlanKind Kind, TextEncoderPlacement TextEncoder, int ResidentBlocks,
    long DeviceBytes, long HostBytes, string Reason, bool BatchedGuidance = false, Fp8Experts Fp8 = Fp8Experts.None)
{
    public override string ToString() =>
        $"{Kind} (text encoder on {TextEncoder}, {ResidentBlocks} resident blocks per expert, " +
        $"guidance {(BatchedGuidance ? "batched (one batch-2 forward)" : "as two forwards")}, " + Fp8 switch
        {
            Fp8Experts.DecodedAtLoad => "FP8 experts decoded once to bf16 at load with their LoRAs merged, ",
            Fp8Experts.DecodedPerForward => "FP8 experts kept FP8 and decoded in every forward, LoRAs on the fly, ",
            _ => "",
        } +
        $"~{DeviceBytes / (double)(1L << 30):F1} GiB device, ~{HostBytes / (double)(1L << 30):F1} GiB host): {Reason}";
}

/// <summary>Bytes of the installed weights, read from the files of one variant.</summary>
/// <param name="ExpertBytes">one DiT expert (the larger of high and low)</param>
/// <param name="LoraBytes">the LoRA(s) applied to one expert</param>
/// <param name="Blocks">transformer blocks per expert; most of an expert's bytes are in them</param>
/// <param name="DecodedExpertBytes">one expert with its FP8 weights decoded to bf16 (twice their bytes); null when the
/// experts store no FP8</param>
public sealed record WeightFootprint(long ExpertBytes, long LoraBytes, long TextEncoderBytes, long VaeBytes, int Blocks = 40,
    long? DecodedExpertBytes = null)
{
    /// <summary>
    /// Device bytes of the installed variant's files: FP8 stays FP8 and bf16/fp16 stay 2 bytes, while float32 tensors
    /// (the official Wan shards) count as bf16, which is what the loader converts them to.
    /// </summary>
    public static WeightFootprint FromFiles(ModelFiles files)
    {
        if (files.Footprint is { } known) return known;
        static (long Stored, long Decoded) Size(IEnumerable<string> paths) => paths
            .Where(p => p.EndsWith(".safetensors", StringComparison.Ordinal) || p.EndsWith(".pth", StringComparison.Ordinal))
            .Select(ResidentBytes).Aggregate((Stored: 0L, Decoded: 0L), (sum, b) => (sum.Stored + b.Stored, sum.Decoded + b.Decoded));
        var high = Size(files.Get(ModelRole.DitHigh));
        var low = Size(files.Get(ModelRole.DitLow));
        long lora = Math.Max(Size(files.Get(ModelRole.LoraHigh)).Stored, Size(files.Get(ModelRole.LoraLow)).Stored);
        long expert = Math.Max(high.Stored, low.Stored), decoded = Math.Max(high.Decoded, low.Decoded);
        return new WeightFootprint(expert, lora, Size(files.Get(ModelRole.TextEncoder)).Stored, Size(files.Get(ModelRole.Vae)).Stored,
            DecodedExpertBytes: decoded > expert ? decoded : null);
    }

    /// <summary>The file's bytes once loaded, as stored and with FP8 decoded to bf16.</summary>
    static (long Stored, long Decoded) ResidentBytes(string path)
    {
        if (!File.Exists(path)) return (0, 0);
        if (!path.EndsWith(".safetensors", StringComparison.Ordinal)) return (new FileInfo(path).Length, new FileInfo(path).Length);
        try
        {
            using var file = SafetensorsFile.Open(path);
            var entries = file.Entries.Values;
            long stored = entries.Sum(e => e.DType == "F32" ? e.ByteLength / 2 : e.ByteLength);
            long fp8 = entries.Where(e => e.DType is "F8_E4M3" or "F8_E5M2").Sum(e => e.ByteLength);
            return (stored, stored + fp8);
        }
        catch (SafetensorsFormatException)
        {
            long length = new FileInfo(path).Length; // verify reports the broken header; planning only needs a size
            return (length, length);
        }
    }

    /// <summary>The experts store FP8 weights, so a plan chooses between decoding them at load and in every forward.</summary>
    public bool HasFp8Experts => DecodedExpertBytes is not null;

    /// <summary>This footprint with the FP8 experts decoded to bf16 at load (itself when there is no FP8).</summary>
    public WeightFootprint DecodedAtLoad => DecodedExpertBytes is { } decoded ? this with { ExpertBytes = decoded, DecodedExpertBytes = null } : this;

    /// <summary>Bytes of one transformer block, assuming the blocks hold ~98% of an expert (true for Wan A14B).</summary>
    public long BlockBytes => (long)(ExpertBytes * 0.98 / Blocks);
    public long NonBlockBytes => ExpertBytes - BlockBytes * Blocks;
}
