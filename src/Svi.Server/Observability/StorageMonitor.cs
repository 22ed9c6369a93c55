using Microsoft.Extensions.Options;
using Prometheus;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Observability;

/// <summary>
/// Samples the data volume every <c>Svi:Storage:SampleSeconds</c> in every process: <c>svi_data_volume_free_bytes</c>,
/// <c>svi_data_volume_used_bytes</c> and <c>svi_generation_folder_bytes{generation}</c>, and a warning when the free
/// space falls below twice the reserve (once per fall; an information line when it is back).
/// </summary>
public sealed class StorageMonitor(DataVolume volume, GenerationFiles files, IOptions<SviOptions> options,
    ILogger<StorageMonitor> log) : BackgroundService
{
    static readonly Gauge Free = Metrics.CreateGauge("svi_data_volume_free_bytes",
        "Bytes still writable on the volume that holds Svi:DataDirectory (PostgreSQL too, in the default layout).");
    static readonly Gauge Used = Metrics.CreateGauge("svi_data_volume_used_bytes", "Bytes in use on the data volume.");
    static readonly Gauge Folder = Metrics.CreateGauge("svi_generation_folder_bytes",
        "Bytes of each generation's folder (MP4, parts, checkpoints, input image).", "generation");

    bool low;
    HashSet<string> folders = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Storage.SampleSeconds));
        do
        {
            try { Sample(); }
            catch (IOException e) { log.LogWarning(e, "Could not measure the data volume"); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public void Sample()
    {
        var space = volume.Measure();
        Free.Set(space.FreeBytes);
        Used.Set(space.UsedBytes);
        WarnWhenLow(space);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(files.Root))
            foreach (var dir in new DirectoryInfo(files.Root).EnumerateDirectories().Where(d => GenerationIds.IsValid(d.Name)))
            {
                Folder.WithLabels(dir.Name).Set(FolderSize.Bytes(dir.FullName));
                seen.Add(dir.Name);
            }
        foreach (var gone in folders.Except(seen)) Folder.RemoveLabelled(gone);
        folders = seen;
    }

    void WarnWhenLow(VolumeSpace space)
    {
        long reserve = volume.ReserveBytes;
        bool isLow = space.FreeBytes < 2 * reserve;
        if (isLow && !low)
            log.LogWarning("The data volume {DataDirectory} is running out of space: {FreeBytes} bytes free, below twice the " +
                           "reserve of {ReserveBytes} (Svi:Storage:MinFreeBytes); below the reserve new videos are refused",
                volume.Path, space.FreeBytes, reserve);
        else if (!isLow && low)
            log.LogInformation("The data volume {DataDirectory} has {FreeBytes} bytes free again", volume.Path, space.FreeBytes);
        low = isLow;
    }
}
