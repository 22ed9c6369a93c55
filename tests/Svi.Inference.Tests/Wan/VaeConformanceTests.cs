using Xunit.Abstractions;

namespace Svi.Inference.Tests.Wan;

public class VaeConformanceTests(ITestOutputHelper output)
{
    // Tolerance: relative L2 error ≤ 1e-4 per tensor (fp32 CPU), the golden sets' bar.
    [Theory]
    [InlineData("vae21")]
    [InlineData("vae22")]
    public void Vae_matches_the_reference_on_the_golden_set(string set)
    {
        var report = ConformanceRunners.Run(GoldenSets.Path(set), 1e-4);
        var text = new StringWriter();
        report.WriteTo(text);
        output.WriteLine(text.ToString());
        Assert.Contains(report.Checks, c => c.Name == "latent");
        Assert.Contains(report.Checks, c => c.Name == "decoded");
        Assert.Contains(report.Checks, c => c.Name == "image_latent");
        Assert.True(report.Passed, text.ToString());
    }
}
