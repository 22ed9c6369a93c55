namespace Svi.Inference.Runtime;

/// <summary>The device cannot hold even the smallest plan for the installed weights.</summary>
public sealed class MemoryPlanUnfitException(string message) : Exception(message);

/// <summary>
/// Picks how the weights live on the device from its free memory and the installed variant's sizes:
/// the first of AllResident, ExpertSwap, BlockSwap that fits, preferring the text encoder on the GPU.
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
        var single = Candidates(weights, activationReserveBytes, deviceFreeBytes).ToList();
        var batched = batchedReserveBytes is { } b
            ? Candidates(weights, b, deviceFreeBytes).Select(c => c with { BatchedGuidance = true }).ToList()
            : null;
        var ordered = batched is null ? single : single.SelectMany((c, i) => new[] { batched[i], c });
        foreach (var candidate in ordered)
        {
            if (forced is { } kind && candidate.Kind != kind) continue;
            if (textEncoder is { } te && candidate.TextEncoder != te) continue;
            if (candidate.DeviceBytes > deviceFreeBytes)
            {
                if (candidate.BatchedGuidance) continue;
                rejected.Add($"{candidate.Kind}/text encoder on {candidate.TextEncoder} needs {candidate.DeviceBytes / GiB:F1} GiB device memory");
                continue;
            }
            if (hostAvailableBytes is { } host && candidate.HostBytes > host)
            {
                if (candidate.BatchedGuidance) continue;
                rejected.Add($"{candidate.Kind}/text encoder on {candidate.TextEncoder} needs {candidate.HostBytes / GiB:F1} GiB host memory");
                continue;
            }
            return candidate with
            {
                Reason = $"{deviceFreeBytes / GiB:F1} GiB free on the device" +
                         (hostAvailableBytes is { } h ? $", {h / GiB:F1} GiB host memory available" : "") +
                         (forced is null ? "" : ", plan forced by configuration") +
                         (rejected.Count == 0 ? "" : "; larger plans did not fit: " + string.Join("; ", rejected)),
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
