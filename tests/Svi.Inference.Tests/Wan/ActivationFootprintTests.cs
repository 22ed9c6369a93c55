using Xunit.Abstractions;

namespace Svi.Inference.Tests.Wan;

public class ActivationFootprintTests(ITestOutputHelper output)
{
    static readonly WanConfig Small = WanConfig.I2vA14B with { Dim = 128, FfnDim = 352, NumHeads = 2, TextLen = 16, TextDim = 32, FreqDim = 64 };

    static long MeasurePeak(WanConfig config, ScalarType dtype, int batch = 1)
    {
        // Weights and inputs are made outside any dispose scope: the meter counts what the forward itself allocates.
        using var model = new WanTransformer(config, dtype);
        var generator = new Generator(11);
        using (no_grad())
            foreach (var p in model.parameters()) p.normal_(0, 0.05, generator);
        using var x = randn([batch, config.InDim, 3, 16, 16], generator: generator);
        using var t = full(batch, 700f);
        using var context = randn([batch, config.TextLen, config.TextDim], generator: generator);
        model.Forward(x, t, context).Dispose(); // the RoPE grid is cached, not an activation
        using var meter = LiveTensorMeter.Start();
        model.Forward(x, t, context).Dispose();
        Assert.True(meter.Samples > 10 * config.NumLayers, "the forward must sample the live bytes in every block");
        return meter.PeakBytes;
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Peak_live_activation_bytes_do_not_grow_with_the_number_of_blocks(ScalarType dtype)
    {
        long two = MeasurePeak(Small with { NumLayers = 2 }, dtype);
        long eight = MeasurePeak(Small with { NumLayers = 8 }, dtype);
        long stream = 3 * 8 * 8 * Small.Dim * 4L; // one fp32 residual stream [1, L, C]
        output.WriteLine($"{dtype}: peak {two} B with 2 blocks, {eight} B with 8 blocks; one stream {stream} B");
        Assert.True(two > stream, "the peak must at least hold the residual stream");
        // A forward that kept each block's output alive would add one stream per extra block (6 here).
        Assert.InRange(eight, two - stream / 4, two + stream / 4);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1)]
    [InlineData(ScalarType.BFloat16, 1)]
    [InlineData(ScalarType.BFloat16, 2)]
    public void Planner_formula_covers_the_measured_peak_closely(ScalarType dtype, int batch)
    {
        var config = Small with { NumLayers = 2 };
        long measured = MeasurePeak(config, dtype, batch);
        long tokens = 3 * 8 * 8;
        long formula = DitActivations.PeakBytes(config, tokens, batch, dtype);
        output.WriteLine($"{dtype} batch {batch}: measured {measured} B, formula {formula} B ({(double)formula / measured:F2}×)");
        Assert.InRange(formula, measured, measured * 13 / 10);
    }
}
