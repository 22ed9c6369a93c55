namespace Svi.Inference.Runtime;

/// <summary>
/// Picks how the weights live on the device from its free memory and the installed variant's sizes:
/// the first of AllResident, ExpertSwap, BlockSwap that fits, preferring the text encoder on the GPU. Within a plan,
/// FP8 experts are decoded once to bf16 at load (their LoRAs merged) when the plan still fits with the bf16 bytes, and
/// guidance runs as one batch-2 forward when the plan still fits with its larger activation reserve; decoding is tried
/// first, as it saves the FP8 decode of every weight in every forward (about 5 bytes of memory traffic per parameter:
/// read the byte, write and read the bf16 copy, ~70 GB per A14B forward), while batching saves only kernel launches.
/// Decoding is only considered where both experts stay resident: under expert or block swap every swap moves an expert's
/// bytes over PCIe, which FP8 halves, and per clip those copies outweigh the decode traffic they would save.
/// </summary>
public static class MemoryPlanner
{
    const double GiB = 1L << 30;
    /// <summary>Fewer resident blocks than this makes every step wait on PCIe; treat as not fitting.</summary>
    public const int MinResidentBlocks = 2;

    /// <param name="deviceFreeBytes">free memory of the compute device</param>
    /// <param name="hostAvailableBytes">available host memory, or null when unknown (then not checked)</param>
    /// <param name="forced">a plan kind from configuration, or null for automatic</param>
    /// <param name="textEncoder">a placement from configuration, or null for automatic</param>
    /// <param name="batchedReserveBytes">the activation reserve of a batch-2 forward (guidance's two prompts at once), or
    /// null to never batch; each plan is tried with it first, and takes it when it fits</param>
    public static MemoryPlan Choose(
        long deviceFreeBytes, long? hostAvailableBytes, WeightFootprint weights, long activationReserveBytes,
        MemoryPlanKind? forced = null, TextEncoderPlacement? textEncoder = null, long? batchedReserveBytes = null)
    {
        var rejected = new List<string>();
        string? notDecoded = null;
        foreach (var candidate in Ordered(weights, activationReserveBytes, batchedReserveBytes, deviceFreeBytes))
        {
            if (forced is { } kind && candidate.Kind != kind) continue;
            if (textEncoder is { } te && candidate.TextEncoder != te) continue;
            // A decoded or batched candidate that does not fit falls back to its plain twin, which comes right after it.
            bool optional = candidate.BatchedGuidance || candidate.Fp8 == Fp8Experts.DecodedAtLoad;
            string? shortfall = candidate.DeviceBytes > deviceFreeBytes ? $"{candidate.DeviceBytes / GiB:F1} GiB device memory"
                : hostAvailableBytes is { } host && candidate.HostBytes > host ? $"{candidate.HostBytes / GiB:F1} GiB host memory"
                : null;
            if (shortfall is not null)
            {
                if (candidate.Fp8 == Fp8Experts.DecodedAtLoad && !candidate.BatchedGuidance)
                    notDecoded ??= $"decoding them to bf16 at load would need {shortfall} under {candidate.Kind} with the text encoder on {candidate.TextEncoder}";
                if (!optional) rejected.Add($"{candidate.Kind}/text encoder on {candidate.TextEncoder} needs {shortfall}");
                continue;
            }
            return candidate with
            {
                Reason = $"{deviceFreeBytes / GiB:F1} GiB free on the device" +
                         (hostAvailableBytes is { } h ? $", {h / GiB:F1} GiB host memory available" : "") +
                         (forced is null ? "" : ", plan forced by configuration") +
                         (rejected.Count == 0 ? "" : "; larger plans did not fit: " + string.Join("; ", rejected)) +
                         Fp8Reason(candidate, weights, notDecoded),
            };
        }
        string constraint = forced is null && textEncoder is null ? ""
            : $" with the configured {(forced is null ? "" : $"plan {forced} ")}{(textEncoder is null ? "" : $"text encoder on {textEncoder}")}";
        throw new MemoryPlanUnfitException(
            $"No memory plan fits{constraint}: {deviceFreeBytes / GiB:F1} GiB free on the device" +
            (hostAvailableBytes is { } ha ? $", {ha / GiB:F1} GiB host memory" : "") + ". " +
            (rejected.Count == 0 ? "" : string.Join("; ", rejected) + ". ") +
            "Install the fp8 variant (./svi models pull --variant fp8), free device memory, or add host memory.");
    }

    /// <summary>
    /// The plan on a CPU device, where host and device memory are one pool and nothing swaps: FP8 experts are decoded at
    /// load when the host has room for both bf16 experts beside everything else (or its memory is unknown).
    /// </summary>
    public static MemoryPlan ForCpu(long? hostAvailableBytes, WeightFootprint weights)
    {
        static long Total(WeightFootprint w) => 2 * (w.ExpertBytes + w.LoraBytes) + w.VaeBytes + w.TextEncoderBytes;
        var fp8 = weights.HasFp8Experts ? Fp8Experts.DecodedPerForward : Fp8Experts.None;
        string reason = "CPU device: every weight stays in host memory";
        if (weights.HasFp8Experts)
        {
            long decoded = Total(weights.DecodedAtLoad);
            bool fits = hostAvailableBytes is not { } host || decoded <= host;
            fp8 = fits ? Fp8Experts.DecodedAtLoad : Fp8Experts.DecodedPerForward;
            reason += fits
                ? $"; FP8 experts decoded once at load: the weights take {decoded / GiB:F1} GiB in bf16" +
                  (hostAvailableBytes is { } h ? $" of {h / GiB:F1} GiB available" : " (host memory unknown)")
                : $"; FP8 experts stay FP8: decoded to bf16 the weights would take {decoded / GiB:F1} GiB, {hostAvailableBytes!.Value / GiB:F1} GiB available";
        }
        var used = fp8 == Fp8Experts.DecodedAtLoad ? weights.DecodedAtLoad : weights;
        return new MemoryPlan(MemoryPlanKind.AllResident, TextEncoderPlacement.Cpu, weights.Blocks, Total(used), 0, reason, Fp8: fp8);
    }

    static string Fp8Reason(MemoryPlan chosen, WeightFootprint weights, string? notDecoded) => chosen.Fp8 switch
    {
        Fp8Experts.DecodedAtLoad =>
            $"; FP8 experts decoded once at load: both fit in bf16 ({weights.DecodedExpertBytes / GiB:F1} GiB each, {weights.ExpertBytes / GiB:F1} GiB as FP8)",
        Fp8Experts.DecodedPerForward when chosen.Kind == MemoryPlanKind.AllResident =>
            $"; FP8 experts stay FP8, decoded in every forward: {notDecoded ?? "both experts do not fit in bf16"}",
        Fp8Experts.DecodedPerForward =>
            $"; FP8 experts stay FP8, decoded in every forward: under {chosen.Kind} every swap copies expert bytes over PCIe, and FP8 copies half",
        _ => "",
    };

    // Each plan in order of preference, each first decoded (FP8 experts, both resident), then batched.
    static IEnumerable<MemoryPlan> Ordered(WeightFootprint weights, long reserve, long? batchedReserve, long deviceFree)
    {
        var fp8 = weights.HasFp8Experts ? Fp8Experts.DecodedPerForward : Fp8Experts.None;
        var plain = Candidates(weights, reserve, deviceFree).ToList();
        var batched = batchedReserve is { } b ? Candidates(weights, b, deviceFree).ToList() : null;
        var decoded = weights.HasFp8Experts ? Candidates(weights.DecodedAtLoad, reserve, deviceFree).ToList() : null;
        var decodedBatched = weights.HasFp8Experts && batchedReserve is { } db ? Candidates(weights.DecodedAtLoad, db, deviceFree).ToList() : null;
        for (int i = 0; i < plain.Count; i++)
        {
            if (decoded is not null && plain[i].Kind == MemoryPlanKind.AllResident)
            {
                if (decodedBatched is not null) yield return decodedBatched[i] with { BatchedGuidance = true, Fp8 = Fp8Experts.DecodedAtLoad };
                yield return decoded[i] with { Fp8 = Fp8Experts.DecodedAtLoad };
            }
            if (batched is not null) yield return batched[i] with { BatchedGuidance = true, Fp8 = fp8 };
            yield return plain[i] with { Fp8 = fp8 };
        }
    }

    static IEnumerable<MemoryPlan> Candidates(WeightFootprint w, long reserve, long deviceFree)
    {
        long expertSet = w.ExpertBytes + w.LoraBytes;
        foreach (var te in new[] { TextEncoderPlacement.Gpu, TextEncoderPlacement.Cpu })
        {
            long teDevice = te == TextEncoderPlacement.Gpu ? w.TextEncoderBytes : 0;
            long teHost = w.TextEncoderBytes - teDevice;
            yield return new MemoryPlan(MemoryPlanKind.AllResident, te, w.Blocks,
                2 * expertSet + w.VaeBytes + teDevice + reserve, teHost, "");
        }
        foreach (var te in new[] { TextEncoderPlacement.Gpu, TextEncoderPlacement.Cpu })
        {
            long teDevice = te == TextEncoderPlacement.Gpu ? w.TextEncoderBytes : 0;
            // Both experts keep a host copy, so swapping one out copies nothing back.
            yield return new MemoryPlan(MemoryPlanKind.ExpertSwap, te, w.Blocks,
                expertSet + w.VaeBytes + teDevice + reserve, 2 * expertSet + (w.TextEncoderBytes - teDevice), "");
        }
        // Block swap keeps the text encoder on the CPU: every device byte goes to resident blocks, but one, which holds
        // the block being streamed in.
        long fixedBytes = w.NonBlockBytes + w.LoraBytes + w.VaeBytes + reserve;
        long blockBytes = Math.Max(1, w.BlockBytes);
        long room = deviceFree - fixedBytes;
        int resident = room >= w.Blocks * blockBytes ? w.Blocks
            : (int)Math.Clamp((room - blockBytes) / blockBytes, MinResidentBlocks, w.Blocks - 1);
        long streamedBlock = resident < w.Blocks ? blockBytes : 0;
        yield return new MemoryPlan(MemoryPlanKind.BlockSwap, TextEncoderPlacement.Cpu, resident,
            fixedBytes + resident * blockBytes + streamedBlock, 2 * expertSet + w.TextEncoderBytes, "");
    }

    public static bool TryParseOverride(string? value, out MemoryPlanKind? kind)
    {
        kind = null;
        switch ((value ?? "auto").Trim().ToLowerInvariant())
        {
            case "" or "auto": return true;
            case "all-resident": kind = MemoryPlanKind.AllResident; return true;
            case "expert-swap": kind = MemoryPlanKind.ExpertSwap; return true;
            case "block-swap": kind = MemoryPlanKind.BlockSwap; return true;
            default: return false;
        }
    }

    public static bool TryParseTextEncoderPlacement(string? value, out TextEncoderPlacement? placement)
    {
        placement = null;
        switch ((value ?? "auto").Trim().ToLowerInvariant())
        {
            case "" or "auto": return true;
            case "gpu" or "cuda": placement = TextEncoderPlacement.Gpu; return true;
            case "cpu": placement = TextEncoderPlacement.Cpu; return true;
            default: return false;
        }
    }
}
