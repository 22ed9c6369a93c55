using Serilog;

namespace Svi.Inference.Runtime;

/// <summary>
/// Resolves <see cref="InferenceOptions.Device"/> to a device. Without CUDA (CI, a CPU-only build, no driver) it falls
/// back to the CPU and says so in the log instead of failing at start: the API still serves, generation is just slow.
/// </summary>
public static class DeviceSelector
{
    /// <summary>Parses auto, cpu, cuda, cuda:N; <paramref name="cudaIndex"/> is -1 for auto, null for cpu.</summary>
    public static bool TryParse(string? value, out int? cudaIndex)
    {
        cudaIndex = null;
        string v = (value ?? "auto").Trim().ToLowerInvariant();
        if (v is "" or "auto") { cudaIndex = -1; return true; }
        if (v == "cpu") return true;
        if (v is "cuda" or "gpu") { cudaIndex = 0; return true; }
        if (v.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(v.AsSpan(5), out int n) && n >= 0)
        {
            cudaIndex = n;
            return true;
        }
        return false;
    }

    public static ComputeDevice Select(string requested, ICudaRuntime cuda, IDeviceMemoryProbe memory, ILogger log)
    {
        if (!TryParse(requested, out int? index))
            throw new ArgumentException($"Svi:Inference:Device '{requested}' is not auto, cpu, cuda or cuda:N.", nameof(requested));
        if (index is null)
        {
            log.Information("Inference device: CPU (configured)");
            return Cpu(memory);
        }
        var (count, reason) = cuda.Probe();
        if (count == 0)
        {
            log.Warning("CUDA is not available ({Reason}); inference falls back to the CPU, which is far too slow for real " +
                        "generation. On a GPU host use the CUDA image (Dockerfile.cuda) and run it with --gpus all",
                reason ?? "no CUDA device");
            return Cpu(memory);
        }
        int chosen = index == -1 ? 0 : index.Value;
        if (chosen >= count)
            throw new DeviceUnavailableException(
                $"Svi:Inference:Device is cuda:{chosen} but only {count} CUDA device(s) are visible (cuda:0..cuda:{count - 1}). " +
                "With one worker per GPU each container sees its GPU as cuda:0.");
        var gpu = memory.Gpu(chosen);
        var device = new ComputeDevice($"cuda:{chosen}", chosen, gpu?.FreeBytes, gpu?.TotalBytes, gpu?.Name ?? "CUDA device");
        log.Information("Inference device: {Device} {Gpu}, {FreeGiB:F1} of {TotalGiB:F1} GiB free",
            device.Name, device.Description, (gpu?.FreeBytes ?? 0) / (double)(1L << 30), (gpu?.TotalBytes ?? 0) / (double)(1L << 30));
        return device;
    }

    static ComputeDevice Cpu(IDeviceMemoryProbe memory)
    {
        long? host = memory.HostAvailableBytes();
        return new ComputeDevice("cpu", null, host, host, "CPU");
    }
}
