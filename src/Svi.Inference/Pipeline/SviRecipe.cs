namespace Svi.Inference.Pipeline;

/// <summary>
/// How the image-to-video clips are sampled (specs/svi2pro.md §5 and "The accelerated recipe"):
/// <see cref="Distilled"/>, the SVI authors' ComfyUI workflow that the hosted API's cfg 1.0–2.0 belongs to (SVI 2.0 Pro
/// LoRAs plus the LightX2V distill LoRAs, 6 Euler steps split 3 + 3, a real cfg of 1–2), and <see cref="Reference"/>,
/// the official DiffSynth script (50 steps, cfg 4–5).
/// </summary>
public enum SviRecipe { Distilled, Reference }
