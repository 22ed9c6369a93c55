namespace Svi.Testing;

/// <summary>
/// The golden sets: <c>tests/golden</c> in this repository, or <c>$SVI_GOLDEN_DIR</c> when set (to run the suite against
/// other instances of the same format).
/// </summary>
public static class GoldenSets
{
    public const string Variable = "SVI_GOLDEN_DIR";

    /// <summary>The checkout this test binary was built from (the folder holding Svi.sln).</summary>
    public static string Repository { get; } = FindRepository(); // before Root, which needs it

    public static string Root { get; } = Locate();

    /// <summary>The copy this checkout carries, whatever <c>SVI_GOLDEN_DIR</c> says.</summary>
    public static string InRepository => System.IO.Path.Combine(Repository, "tests", "golden");

    /// <summary><c>../shared/golden</c> beside the checkout, where the build environment keeps the sets' origin; may be absent.</summary>
    public static string BesideRepository => System.IO.Path.Combine(Repository, "..", "shared", "golden");

    public static string Path(string set) => System.IO.Path.Combine(Root, set);

    static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var inRepository = InRepository;
        return Directory.Exists(inRepository)
            ? inRepository
            : throw new DirectoryNotFoundException($"{inRepository} is missing; restore tests/golden or set {Variable}");
    }

    static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Svi.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Svi.sln not found above " + AppContext.BaseDirectory);
    }
}
