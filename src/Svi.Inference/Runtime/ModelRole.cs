namespace Svi.Inference.Runtime;

/// <summary>The roles a weight file plays in SVI 2.0 Pro; manifests tag every file with one.</summary>
public enum ModelRole
{
    DitHigh, DitLow, LoraHigh, LoraLow, Vae, TextEncoder, Tokenizer,
    T2vDitHigh, T2vDitLow, DistillLoraHigh, DistillLoraLow,
}
