namespace Svi.Inference.Runtime;

/// <param name="ResidentBlocks">transformer blocks per expert kept on the device (all of them unless BlockSwap)</param>
/// <param name="DeviceBytes">estimated peak device memory of this plan</param>
/// <param name="HostBytes">estimated host memory the plan pins for swapped weights and a CPU text encoder</param>
/// <param name="Reason">why this plan was chosen, for the start-up log</param>
/// <param name="BatchedGuidance">the reserve covers a batch-2 forward, so guidance runs both prompts at once</param>
/// <param name="Fp8">whether FP8 experts are decoded once at load or in every forward (the bytes above follow it)</param>
public sealed record MemoryPlan(
    MemoryPlanKind Kind, TextEncoderPlacement TextEncoder, int ResidentBlocks,
    long DeviceBytes, long HostBytes, string Reason, bool BatchedGuidance = false, Fp8Experts Fp8 = Fp8Experts.None)
{
    public override string ToString() =>
        $"{Kind} (text encoder on {TextEncoder}, {ResidentBlocks} resident blocks per expert, " +
        $"guidance {(BatchedGuidance ? "batched (one batch-2 forward)" : "as two forwards")}, " + Fp8 switch
        {
            Fp8Experts.DecodedAtLoad => "FP8 experts decoded once to bf16 at load with their LoRAs merged, ",
            Fp8Experts.DecodedPerForward => "FP8 experts kept FP8 and decoded in every forward, LoRAs on the fly, ",
            _ => "",
        } +
        $"~{DeviceBytes / (double)(1L << 30):F1} GiB device, ~{HostBytes / (double)(1L << 30):F1} GiB host): {Reason}";
}
