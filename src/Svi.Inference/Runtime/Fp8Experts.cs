namespace Svi.Inference.Runtime;

/// <summary>How the FP8 linears of the experts are held (the fp8 variant; other variants store no FP8).</summary>
public enum Fp8Experts
{
    /// <summary>The experts store no FP8 weights.</summary>
    None,
    /// <summary>Decoded once to bf16 at load, every LoRA merged into them: no per-forward decode, twice the bytes.</summary>
    DecodedAtLoad,
    /// <summary>Kept as FP8 bytes and a scale, decoded in every forward; LoRAs run on the fly as rank-r matmuls.</summary>
    DecodedPerForward,
}
