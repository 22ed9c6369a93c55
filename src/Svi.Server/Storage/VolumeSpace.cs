namespace Svi.Server.Storage;

/// <summary>The data volume's size, as the file system reports it.</summary>
/// <param name="FreeBytes">what an unprivileged process (PostgreSQL, ffmpeg) can still write</param>
/// <param name="UsedBytes">what the files on the volume take</param>
public readonly record struct VolumeSpace(long FreeBytes, long UsedBytes, long TotalBytes);
