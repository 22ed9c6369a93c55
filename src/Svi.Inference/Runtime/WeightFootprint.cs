using Svi.Kernels.Safetensors;

namespace Svi.Inference.Runtime;

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
