using System.Diagnostics;
using System.Globalization;

namespace Svi.Inference.Runtime;

/// <summary>
/// Device memory from <c>nvidia-smi</c> (TorchSharp exposes no cudaMemGetInfo) and host memory from /proc/meminfo.
/// Either returns null when the source is missing; the planner then works from what is known.
/// </summary>
public sealed class SystemMemoryProbe : IDeviceMemoryProbe
{
    static readonly TimeSpan NvidiaSmiTimeout = TimeSpan.FromSeconds(10);

    public GpuMemory? Gpu(int index)
    {
        // CUDA_VISIBLE_DEVICES renumbers devices for libtorch; nvidia-smi does not, so map the index back.
        string physical = VisibleDevice(index);
        string? output = Run("nvidia-smi",
            $"--query-gpu=name,memory.free,memory.total --format=csv,noheader,nounits -i {physical}");
        return output is null ? null : ParseNvidiaSmi(output);
    }

    public long? HostAvailableBytes()
    {
        try { return ParseMemAvailable(File.ReadAllText("/proc/meminfo")); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Parses one CSV line "NVIDIA H100 80GB HBM3, 80517, 81559" (MiB).</summary>
    public static GpuMemory? ParseNvidiaSmi(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var parts = line?.Split(',', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 3 }) return null;
        if (!long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long free) ||
            !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long total)) return null;
        return new GpuMemory(parts[0], free << 20, total << 20);
    }

    public static long? ParseMemAvailable(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
            var kb = line["MemAvailable:".Length..].Trim().Split(' ')[0];
            return long.TryParse(kb, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value * 1024 : null;
        }
        return null;
    }

    static string VisibleDevice(int index)
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (string.IsNullOrWhiteSpace(visible)) return index.ToString(CultureInfo.InvariantCulture);
        var ids = visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return index < ids.Length ? ids[index] : index.ToString(CultureInfo.InvariantCulture);
    }

    static string? Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(NvidiaSmiTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // nvidia-smi is not installed: no NVIDIA driver on this host
        }
    }
}
