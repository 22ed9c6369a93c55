namespace Svi.Testing;

/// <summary>Finds ../shared/golden (beside the repository) or $SVI_GOLDEN_DIR.</summary>
public static class GoldenSets
{
    public static string Root { get; } = Locate();

    public static string Path(string set) => System.IO.Path.Combine(Root, set);

    static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SVI_GOLDEN_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "golden");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("../shared/golden not found beside the repository; set SVI_GOLDEN_DIR");
    }
}
