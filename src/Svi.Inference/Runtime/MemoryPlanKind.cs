namespace Svi.Inference.Runtime;

public enum MemoryPlanKind
{
    /// <summary>Both experts, LoRAs and VAE stay on the device (80 GB class for bf16, 48 GB for fp8).</summary>
    AllResident,
    /// <summary>One expert on the device, the other in host memory; they trade places at the high→low switch.</summary>
    ExpertSwap,
    /// <summary>Only some transformer blocks stay on the device; the rest stream from host memory each step.</summary>
    BlockSwap,
}
