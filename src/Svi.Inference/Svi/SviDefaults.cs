namespace Svi.Inference.Svi;

/// <summary>A deployment's sampling defaults; a request may override steps, boundary and shift.</summary>
public sealed record SviDefaults
{
    /// <summary>The SVI 2.0 Pro reference: 50 Euler steps, shift 5, expert switch at t = 875.</summary>
    public int Steps { get; init; } = 50;
    public double Shift { get; init; } = 5.0;
    public double Boundary { get; init; } = 0.875;

    /// <summary>The T2V-A14B anchor frame (quality tier): Wan 2.2 T2V's own 40 steps, shift 12, boundary 0.875, cfg 4.</summary>
    public SviSampling AnchorQuality { get; init; } = new(40, 12.0, 0.875, 4.0);
    /// <summary>The distilled anchor frame (fast tier): 4 steps without guidance.</summary>
    public SviSampling AnchorFast { get; init; } = new(4, 5.0, 0.875, 1.0);

    public SviSampling For(GenerationSpec spec) =>
        new(spec.Steps ?? Steps, spec.Shift ?? Shift, spec.Boundary ?? Boundary, spec.Cfg);

    public SviSampling Anchor(SviMode mode) => mode == SviMode.TextToVideoFast ? AnchorFast : AnchorQuality;
}
