namespace Svi.Server.Tests.Support;

/// <summary>
/// A tmpfs of a few hundred MB laid out as <c>./svi serve</c> and <c>docker run</c> lay out their one data volume: the
/// private PostgreSQL cluster (started by the same <c>scripts/postgres.sh</c>) under <c>data/postgres</c>, the
/// generations under <c>data/generations</c>. A ballast file beside them takes the space another tenant of the volume
/// would.
/// </summary>
public sealed class SmallDataVolume : IAsyncDisposable
{
    readonly string mount;
    public string DataDirectory => Path.Combine(mount, "data");
    public string ConnectionString { get; private set; } = "";
    string Ballast => Path.Combine(mount, "ballast");

    SmallDataVolume(string mount) => this.mount = mount;

    public static async Task<SmallDataVolume> MountAsync(int megabytes)
    {
        var volume = new SmallDataVolume(Directory.CreateTempSubdirectory("svi-small-volume-").FullName);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=755", "tmpfs", volume.mount);
        Directory.CreateDirectory(volume.DataDirectory);
        volume.ConnectionString = (await Postgres("svi_pg_private_database \"$1\" \"$2\"", volume.DataDirectory,
            ChildServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();
        return volume;
    }

    public long FreeBytes => new DriveInfo(mount).AvailableFreeSpace;

    /// <summary>Writes the ballast (real bytes: tmpfs does not allocate holes) until <paramref name="leaveFree"/> bytes are left.</summary>
    public void FillLeaving(long leaveFree)
    {
        var chunk = new byte[1 << 20];
        Random.Shared.NextBytes(chunk);
        using var ballast = new FileStream(Ballast, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            for (long left = FreeBytes - leaveFree; left > 0; left -= chunk.Length)
            {
                ballast.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
        }
        // PostgreSQL or the worker took the last bytes meanwhile: the volume is as full as asked, or fuller.
        catch (IOException) when (FreeBytes <= leaveFree) { }
    }

    public void RemoveBallast() => File.Delete(Ballast);

    public async ValueTask DisposeAsync()
    {
        await Postgres("svi_pg_stop \"$1/postgres\"", DataDirectory);
        await RunAsync("umount", mount);
        Directory.Delete(mount);
    }

    static Task<string> Postgres(string command, params string[] args) =>
        RunAsync(["bash", "-c", $"source \"$0\" && {command}", Path.Combine(RepositoryRoot.Find(), "scripts", "postgres.sh"), .. args]);

    static async Task<string> RunAsync(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command[1..]) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
