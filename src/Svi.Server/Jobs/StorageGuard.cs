using Microsoft.Extensions.Options;
using Svi.Server.Hosting;
using Svi.Server.Storage;

namespace Svi.Server.Jobs;

/// <summary>
/// The job's side of a full disk: a job waits, still queued, until its estimated bytes fit; a render that hit a full
/// disk leaves nothing behind but its input image.
/// </summary>
public sealed class StorageGuard(StorageAdmission admission, GenerationStore store, GenerationFiles files, DataVolume volume,
    IOptions<SviOptions> options, ILogger<StorageGuard> log)
{
    /// <summary>
    /// Returns once the generation fits, or once it no longer waits to run (finished, cancelled, deleted: the job's
    /// start then finds nothing to do). A worker stopping throws <see cref="OperationCanceledException"/> and Hangfire
    /// queues the job again.
    /// </summary>
    public async Task WaitForRoomAsync(string id, CancellationToken shutdown)
    {
        bool warned = false;
        while (await store.GetAsync(id, shutdown) is { IsTerminal: false, CancelRequested: false } record
               && admission.Shortage(record) is { } shortage)
        {
            if (!warned)
                log.LogWarning("Waiting for storage: the generation needs about {NeededBytes} bytes, {FreeBytes} are free and " +
                               "{ReserveBytes} must stay free", shortage.Needed, shortage.Space.FreeBytes, volume.ReserveBytes);
            warned = true;
            await Task.Delay(TimeSpan.FromSeconds(options.Value.Storage.WaitSeconds), shutdown);
        }
        if (warned) log.LogInformation("Storage is free again for this generation");
    }

    /// <summary>
    /// Deletes everything the render wrote: the parts, the partial MP4, the temporary files ffmpeg was writing, and the
    /// latent checkpoints, since a failed generation is never resumed. The input image stays (the record names it).
    /// Returns the failure's message.
    /// </summary>
    public string ClearAfterFailure(string id)
    {
        var folder = new DirectoryInfo(files.Directory(id));
        if (folder.Exists)
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (entry.FullName == files.InputImage(id)) continue;
                try
                {
                    if (entry is DirectoryInfo dir) dir.Delete(recursive: true);
                    else entry.Delete();
                }
                catch (IOException e) { log.LogWarning(e, "Could not delete {Path} after the disk filled", entry.FullName); }
            }
        var space = volume.Measure();
        log.LogError("The data volume is full: the render stopped and its files were deleted; {FreeBytes} bytes are free now", space.FreeBytes);
        return StorageFull.RenderFailed(space);
    }
}
