namespace Svi.Server.Tests;

public static class RepositoryRoot
{
    /// <summary>The checkout this test binary was built from (the folder holding Svi.sln).</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Svi.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Svi.sln not found above " + AppContext.BaseDirectory);
    }
}
