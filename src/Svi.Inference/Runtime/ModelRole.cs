namespace Svi.Inference.Runtime;

/// <summary>
/// The roles a weight file plays in SVI 2.0 Pro; manifests tag every file with one. The distill roles: the I2V
/// LightX2V LoRAs of the distilled recipe (HIGH: Wan 2.2 I2V-A14B v1030; LOW: the Wan 2.1 I2V 480p distill, at every
/// resolution as the public Pro workflow uses it), and
/// the T2V-A14B Lightning LoRAs of the fast text-to-video anchor frame.
/// </summary>
public enum ModelRole
{
    DitHigh, DitLow, LoraHigh, LoraLow, Vae, TextEncoder, Tokenizer,
    T2vDitHigh, T2vDitLow, DistillLoraHigh, DistillLoraLow, T2vDistillLoraHigh, T2vDistillLoraLow,
    /// <summary>The RIFE v4.x ONNX file that interpolates 16 fps output to 32 fps (optional).</summary>
    Interpolation,
}
