namespace Svi.Inference.Tests.Sampling;

public class SamplerConformanceTests
{
    [Fact]
    public void Every_golden_sampler_run_matches_tables_and_trajectory()
    {
        // Tables must match to fp32 rounding and trajectories to the golden bar (rel ≤ 1e-4).
        var report = ConformanceRunners.Run(GoldenSets.Path("samplers"), 1e-4);

        Assert.True(report.Passed, string.Join("; ", report.Checks.Where(c => !c.Passed).Select(c => $"{c.Name} rel {c.MaxRelErr:E2} {c.Detail}")));
        foreach (var run in new[] { "unipc_s5_n40", "unipc_s5_n8", "unipc_s3_n50", "euler_s5_n50", "euler_s5_n6" })
        {
            Assert.Contains(report.Checks, c => c.Name == $"{run}.trajectory");
            Assert.Contains(report.Checks, c => c.Name == $"{run}.timesteps" && c.MaxRelErr < 1e-7);
            Assert.Contains(report.Checks, c => c.Name == $"{run}.sigmas" && c.MaxRelErr < 1e-7);
        }
    }
}
