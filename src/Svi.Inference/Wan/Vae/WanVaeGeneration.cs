namespace Svi.Inference.Wan.Vae;

/// <summary>The two Wan VAE designs, built by the same <see cref="WanVae"/> from their <see cref="WanVaeConfig"/>.</summary>
public enum WanVaeGeneration
{
    /// <summary>Wan2.1_VAE.pth (Wan 2.1, Wan 2.2 A14B, SVI): RGB in, flat lists of residual blocks and resamples.</summary>
    Wan21,
    /// <summary>
    /// Wan2.2_VAE.pth (TI2V-5B, conformance only): 2×2 pixels folded into 12 channels, each stage a block with a
    /// parameter-free shortcut around it (<see cref="DownResidualBlock"/>, <see cref="UpResidualBlock"/>).
    /// </summary>
    Wan22,
}
