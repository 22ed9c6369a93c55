using Prometheus;
using Svi.Inference.Runtime;

namespace Svi.Server.Observability;

/// <summary>
/// <c>svi_gpu_memory_used_bytes</c> and <c>svi_gpu_memory_total_bytes</c> for every CUDA device this worker sees,
/// sampled from the same probe the memory planner uses (nvidia-smi). Each worker reports its own GPUs; Prometheus's
/// <c>instance</c> label tells workers apart. Without CUDA there is nothing to report and no series.
/// </summary>
public sealed class GpuMemorySampler(ICudaRuntime cuda, IDeviceMemoryProbe probe) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private static readonly Gauge Used = Metrics.CreateGauge(
        "svi_gpu_memory_used_bytes", "GPU memory in use (all processes), by device.", "device", "gpu");
    private static readonly Gauge Total = Metrics.CreateGauge(
        "svi_gpu_memory_total_bytes", "GPU memory, by device.", "device", "gpu");

    /// <summary>Reads every visible device once; returns how many reported.</summary>
    public int Sample()
    {
        var (count, _) = cuda.Probe();
        int reported = 0;
        for (int i = 0; i < count; i++)
        {
            if (probe.Gpu(i) is not { } gpu) continue;
            Used.WithLabels($"cuda:{i}", gpu.Name).Set(gpu.TotalBytes - gpu.FreeBytes);
            Total.WithLabels($"cuda:{i}", gpu.Name).Set(gpu.TotalBytes);
            reported++;
        }
        return reported;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the first probe loads libtorch and may run nvidia-smi.
        await Task.Yield();
        if (cuda.Probe().Count == 0) return;
        using var timer = new PeriodicTimer(Interval);
        do Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
