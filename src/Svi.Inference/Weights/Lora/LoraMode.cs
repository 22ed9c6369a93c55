namespace Svi.Inference.Weights;

/// <summary>How a LoRA reaches the weights.</summary>
public enum LoraMode
{
    /// <summary>W ← W + s·B·A once, in place (no cost per step; not reversible). FP8 layers fall back to <see cref="OnTheFly"/>.</summary>
    Merge,
    /// <summary>y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ in every forward (weights untouched; removable with <see cref="Lora.Remove"/>).</summary>
    OnTheFly,
}
