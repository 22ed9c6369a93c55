using Microsoft.Extensions.Options;
using Svi.Server.Hosting;

namespace Svi.Server.Storage;

/// <summary>
/// The volume that holds <c>Svi:DataDirectory</c>: the generations' files and, in the default layout (<c>./svi
/// serve</c>, <c>docker run</c>), PostgreSQL's cluster too, so that one full disk stops both.
/// </summary>
public sealed class DataVolume(IOptions<SviOptions> options)
{
    public string Path { get; } = System.IO.Path.GetFullPath(options.Value.DataDirectory);

    /// <summary><c>Svi:Storage:MinFreeBytes</c>: what admission keeps free.</summary>
    public long ReserveBytes => options.Value.Storage.MinFreeBytes;

    public VolumeSpace Measure()
    {
        // statvfs on the folder itself: DriveInfo takes any path on Unix and reports the file system that holds it.
        var drive = new DriveInfo(Existing(Path));
        return new VolumeSpace(drive.AvailableFreeSpace, drive.TotalSize - drive.TotalFreeSpace, drive.TotalSize);
    }

    /// <summary>Whether <paramref name="neededBytes"/> more would still leave the reserve free.</summary>
    public bool Fits(long neededBytes, VolumeSpace space) => space.FreeBytes - neededBytes >= ReserveBytes;

    static string Existing(string path)
    {
        var dir = new DirectoryInfo(path);
        while (!dir.Exists && dir.Parent is not null) dir = dir.Parent;
        return dir.FullName;
    }
}
