namespace Svi.Inference.Runtime;

public sealed class FastPresetOptions
{
    /// <summary>
    /// Per deployment: image-to-video clips merge the distill LoRAs onto the I2V experts and sample with this preset
    /// instead of the request's steps and cfg (env <c>Svi__Inference__Fast__Enabled=true</c>).
    /// </summary>
    public bool Enabled { get; set; }

    public int Steps { get; set; } = 6;
    /// <summary>How many of the steps the high-noise expert takes before switching (Kijai: 3 of 6).</summary>
    public int HighNoiseSteps { get; set; } = 3;
    public double Guidance { get; set; } = 1.0;
    public double DistillHighStrength { get; set; } = 1.0;
    public double DistillLowStrength { get; set; } = 1.0;
}
