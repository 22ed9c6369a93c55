namespace Svi.Server.Tests.Support;

/// <summary>A test that mounts a file system: it runs as root on Linux (as CI does) and is skipped, saying why, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux: it mounts a small tmpfs as the data volume";
        else if (!Environment.IsPrivilegedProcess) Skip = "needs root: it mounts a small tmpfs as the data volume (CI runs the tests as root)";
    }
}
