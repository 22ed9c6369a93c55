using System.Security.Cryptography;

namespace Svi.Inference.Tests.Golden;

/// <summary>The golden sets travel with the repository (<c>tests/golden</c>) and cannot drift from their origin.</summary>
public class GoldenCopyTests
{
    // Files of tests/golden that are this repository's own, not part of the delivered sets.
    static readonly string[] OwnFiles = ["SHA256SUMS", "PROVENANCE.md"];

    [Fact]
    public void Tests_read_the_in_repository_copy_unless_SVI_GOLDEN_DIR_says_otherwise()
    {
        string? overridden = Environment.GetEnvironmentVariable(GoldenSets.Variable);
        string expected = string.IsNullOrEmpty(overridden) ? GoldenSets.InRepository : overridden;
        Assert.Equal(expected, GoldenSets.Root);
        Assert.True(File.Exists(Path.Combine(GoldenSets.InRepository, "svi_pipeline", "io.safetensors")));
    }

    [Fact]
    public void Every_in_repository_file_matches_its_recorded_hash()
    {
        var recorded = File.ReadAllLines(Path.Combine(GoldenSets.InRepository, "SHA256SUMS"))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);

        Assert.Equal(recorded.Keys.Order(StringComparer.Ordinal), SetFiles(GoldenSets.InRepository));
        Assert.True(recorded.Count >= 30, $"only {recorded.Count} files recorded");
        foreach (var (file, hash) in recorded)
            Assert.True(hash == Sha256(Path.Combine(GoldenSets.InRepository, file)), $"{file} differs from SHA256SUMS");
    }

    [SharedGoldenFact]
    public void The_in_repository_copy_equals_shared_golden_byte_for_byte()
    {
        string shared = GoldenSets.BesideRepository, ours = GoldenSets.InRepository;

        Assert.Equal(SetFiles(shared), SetFiles(ours));
        foreach (var file in SetFiles(shared))
            Assert.True(File.ReadAllBytes(Path.Combine(shared, file)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(ours, file))), $"{file} differs from {shared}");
    }

    // Every delivered file under root, relative, '/'-separated, in ordinal order.
    static List<string> SetFiles(string root) => Directory
        .EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
        .Where(file => !OwnFiles.Contains(file))
        .Order(StringComparer.Ordinal)
        .ToList();

    static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
