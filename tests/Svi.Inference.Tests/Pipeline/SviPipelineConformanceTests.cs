using Svi.Inference.Conformance;
using Svi.Testing;

namespace Svi.Inference.Tests.Pipeline;

public class SviPipelineConformanceTests
{
    [Fact]
    public void Production_clip_loop_matches_the_reference_pipeline_on_the_svi_pipeline_golden_set()
    {
        // Tolerance: rel ≤ 1e-4 per tensor (y, every trajectory step, latent, decoded) and ±1 level per pixel.
        var report = ConformanceRunners.Run(GoldenSets.Path("svi_pipeline"));
        var output = new StringWriter();
        report.WriteTo(output);
        Assert.True(report.Passed, output.ToString());
        Assert.Contains(report.Checks, c => c.Name == "clip2.trajectory[4]");
        Assert.Contains(report.Checks, c => c.Name == "frames" && c.Passed);
    }
}
