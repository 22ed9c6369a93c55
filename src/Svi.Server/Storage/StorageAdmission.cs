using Svi.Inference.Runtime;
using Svi.Server.Media;

namespace Svi.Server.Storage;

/// <summary>
/// Whether a generation fits on the data volume: its <see cref="SpaceEstimate"/>, less what its folder already holds
/// (a resumed job), must leave <c>Svi:Storage:MinFreeBytes</c> free. Asked at create (a refusal creates nothing) and
/// by the worker before a job starts (a job that does not fit waits).
/// </summary>
public sealed class StorageAdmission(DataVolume volume, GenerationFiles files, IModelInventory inventory)
{
    public long NeededBytes(GenerationRecord r) =>
        Math.Max(0, SpaceEstimate.Bytes(r.Spec.Width, r.Spec.Height, r.Spec.DurationSeconds, r.Spec.Fps, inventory.Check().IsRandom, new VideoEncoding())
            - FolderSize.Bytes(files.Directory(r.Id)));

    /// <summary>Null when it fits; otherwise the bytes it needs and the volume as measured.</summary>
    public (long Needed, VolumeSpace Space)? Shortage(GenerationRecord r)
    {
        long needed = NeededBytes(r);
        var space = volume.Measure();
        return volume.Fits(needed, space) ? null : (needed, space);
    }

    /// <summary>What must stay free on the data volume (<c>Svi:Storage:MinFreeBytes</c>).</summary>
    public long ReserveBytes => volume.ReserveBytes;
}
