namespace Svi.Inference.Tests.Pipeline;

public class SviPipelineConformanceTests
{
    // Tolerance: rel ≤ 1e-4 per tensor (y, every trajectory step, latent, decoded) and ±1 level per pixel.
    // svi_pipeline: the reference recipe. svi_pipeline_distilled: the distilled recipe, SVI PEFT (.default) LoRAs plus
    // kohya distill LoRAs with .alpha, .diff_b, .diff and keys for modules Wan 2.2 lacks; 6 steps, cfg 1.5.
    [Theory]
    [InlineData("svi_pipeline", "clip2.trajectory[4]")]
    [InlineData("svi_pipeline_distilled", "clip2.trajectory[6]")]
    public void Production_clip_loop_matches_the_reference_pipeline_on_the_golden_set(string goldenSet, string lastStepCheck)
    {
        var report = ConformanceRunners.Run(GoldenSets.Path(goldenSet));
        var output = new StringWriter();
        report.WriteTo(output);
        Assert.True(report.Passed, output.ToString());
        Assert.Contains(report.Checks, c => c.Name == lastStepCheck);
        Assert.Contains(report.Checks, c => c.Name == "frames" && c.Passed);
    }
}
