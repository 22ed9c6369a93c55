using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Server.Contracts;

/// <summary>
/// Expected DiT time per 81-frame clip on one 80 GB GPU (H100 SXM), derived from FLOPs, not measured: one A14B forward
/// at the clip's tokens (<see cref="DitFlops"/>), times steps, times 2 when cfg ≠ 1 (the negative pass), over the bf16
/// dense peak of 989 TFLOP/s (the floor) and over half of it (the estimate: large bf16 attention and GEMMs reach
/// roughly 40–60 % of peak). VAE decode and text encoding add seconds per clip on top. An estimate until a GPU has
/// measured it (bench/RESULTS.md).
/// </summary>
public static class ClipTimeEstimates
{
    public const double PeakTflops = 989;
    public const double AssumedUtilisation = 0.5;
    public sealed record Estimate(double FloorSeconds, double EstimateSeconds, int Forwards, double TflopPerForward);

    public static Estimate For(SviRecipeSettings recipe, double cfg, string resolution)
    {
        Resolutions.TryParse(resolution, out var size);
        var architecture = SviArchitecture.Wan22A14B;
        double flops = DitFlops.Forward(architecture.I2v, architecture.ClipTokens(size.Width, size.Height));
        int forwards = recipe.Steps * (cfg != 1.0 ? 2 : 1);
        double floor = forwards * flops / (PeakTflops * 1e12);
        return new Estimate(Math.Round(floor, 1), Math.Round(floor / AssumedUtilisation, 1), forwards, Math.Round(flops / 1e12));
    }

    /// <summary>Per resolution, at the recipe's default cfg and at cfg 1 (no negative pass).</summary>
    public static object Describe(SviRecipeSettings recipe, IReadOnlyList<string> resolutions) => new
    {
        label = $"estimate from FLOPs, not measured: one 80 GB GPU (H100 SXM, {PeakTflops:0} TFLOP/s bf16 peak) at " +
                $"{AssumedUtilisation:P0} of peak; DiT forwards only (VAE decode and text encoding add seconds per clip)",
        per_clip_seconds = resolutions.ToDictionary(r => r, r => new
        {
            at_default_cfg = For(recipe, recipe.DefaultCfg, r).EstimateSeconds,
            at_cfg_1 = For(recipe, 1.0, r).EstimateSeconds,
            floor_at_default_cfg = For(recipe, recipe.DefaultCfg, r).FloorSeconds,
            tflop_per_forward = For(recipe, 1.0, r).TflopPerForward,
        }),
    };
}
