namespace Svi.Inference.Tests.Wan;

/// <summary>The golden DiT sets through the same runner as <c>./svi conformance</c>, fp32 on the CPU.</summary>
public class DitConformanceTests
{
    // The golden sets' bar: ‖ours − ref‖₂ / ‖ref‖₂ ≤ 1e-4 on every intermediate and the output.
    const double Tolerance = 1e-4;

    [Theory]
    [InlineData("dit_i2v")]
    [InlineData("dit_t2v")]
    [InlineData("dit_ti2v")]
    public void Dit_matches_the_reference_on_every_intermediate(string set)
    {
        var report = ConformanceRunners.Run(GoldenSets.Path(set), Tolerance);

        var failures = string.Join("; ", report.Checks.Where(c => !c.Passed).Select(c => $"{c.Name} rel {c.MaxRelErr:E2} {c.Detail}"));
        Assert.True(report.Passed, $"{set}: {failures}");
        var names = report.Checks.Select(c => c.Name).ToHashSet();
        foreach (var expected in new[] { "rope_freqs_real", "patch_embedded", "time_embedding_e", "time_projection_e0", "text_embedded", "block0_out", "head_out", "out" })
            Assert.Contains(expected, names);
        Assert.Contains(names, n => n.StartsWith("block", StringComparison.Ordinal) && n != "block0_out");
    }
}
