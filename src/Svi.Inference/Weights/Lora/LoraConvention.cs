namespace Svi.Inference.Weights;

/// <summary>The key convention a LoRA pair came in; it decides the factor the pair is applied with.</summary>
public enum LoraConvention
{
    /// <summary><c>X.lora_A[.adapter].weight</c> / <c>X.lora_B[.adapter].weight</c> (PEFT, diffusers, the SVI LoRAs).</summary>
    Peft,
    /// <summary><c>X.lora_down.weight</c> / <c>X.lora_up.weight</c> with an optional <c>X.alpha</c> (kohya, LightX2V).</summary>
    Kohya,
}
