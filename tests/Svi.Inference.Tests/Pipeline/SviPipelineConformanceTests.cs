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

    [Fact]
    public void Production_clip_loop_with_svi_and_published_form_distill_loras_matches_the_svi_pipeline_distilled_set()
    {
        // The distilled recipe: SVI PEFT (.default) LoRAs plus kohya distill LoRAs with .alpha, .diff_b, .diff and keys for
        // modules Wan 2.2 lacks; 6 steps, cfg 1.5. Same tolerances as above.
        var report = ConformanceRunners.Run(GoldenSets.Path("svi_pipeline_distilled"));
        var output = new StringWriter();
        report.WriteTo(output);
        Assert.True(report.Passed, output.ToString());
        Assert.Contains(report.Checks, c => c.Name == "clip2.trajectory[6]");
        Assert.Contains(report.Checks, c => c.Name == "frames" && c.Passed);
    }
}
