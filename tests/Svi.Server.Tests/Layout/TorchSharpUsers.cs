namespace Svi.Server.Tests.Layout;

/// <summary>Finds the C# sources that use TorchSharp: any mention of the namespace outside a comment.</summary>
public static partial class TorchSharpUsers
{
    /// <summary>The one Server file allowed to use TorchSharp: the benchmark drives the device directly.</summary>
    public static readonly string[] ServerExemptions = ["Cli/BenchCommand.cs"];

    /// <param name="sources">each file's path relative to the project folder (with '/') and its text</param>
    /// <returns>the paths that use TorchSharp and are not exempt, in order</returns>
    public static IReadOnlyList<string> Find(IEnumerable<(string Path, string Text)> sources, IEnumerable<string> exemptions)
    {
        var exempt = exemptions.ToHashSet(StringComparer.Ordinal);
        return sources.Where(s => !exempt.Contains(s.Path) && Uses(s.Text)).Select(s => s.Path).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every <c>.cs</c> file under <paramref name="projectDirectory"/>, build outputs left out.</summary>
    public static IEnumerable<(string Path, string Text)> Sources(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(projectDirectory, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Select(path => (path, File.ReadAllText(Path.Combine(projectDirectory, path))));

    static bool Uses(string text) => TorchSharpName().IsMatch(Comments().Replace(text, ""));

    [GeneratedRegex(@"\bTorchSharp\b")]
    private static partial Regex TorchSharpName();

    // Line comments (documentation included) and block comments; string literals naming TorchSharp count as a use.
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
