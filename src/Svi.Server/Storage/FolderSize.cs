namespace Svi.Server.Storage;

/// <summary>The bytes of the files under a folder; files vanishing while it is walked count as gone.</summary>
public static class FolderSize
{
    public static long Bytes(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                try { total += file.Length; }
                catch (FileNotFoundException) { }
            }
        }
        catch (DirectoryNotFoundException) { }
        return total;
    }
}
