namespace Svi.Inference.Tests.Runtime;

public class MemoryPlannerTests
{
    const long GB = 1_000_000_000, GiB = 1L << 30;
    // Wan2.2 A14B expert ≈ 14.29e9 parameters: bf16 ≈ 28.6 GB, FP8-scaled ≈ 14.3 GB; LoRA rank 128 ≈ 1.23 GB;
    // umT5-XXL encoder bf16 ≈ 11.4 GB, FP8 ≈ 6.7 GB; Wan2.1 VAE ≈ 0.25–0.5 GB.
    static readonly WeightFootprint Bf16 = new(28_600 * (GB / 1000), 1_227 * (GB / 1000), 11_400 * (GB / 1000), 508 * (GB / 1000));
    static readonly WeightFootprint Fp8 = new(14_295 * (GB / 1000), 1_227 * (GB / 1000), 6_736 * (GB / 1000), 254 * (GB / 1000),
        DecodedExpertBytes: 28_600 * (GB / 1000));
    const long Reserve = 8 * GiB;
    const long PlentyOfHost = 256 * GiB;

    [Fact]
    public void Bf16_on_an_80GB_card_keeps_everything_resident_with_the_text_encoder_on_the_gpu()
    {
        var plan = MemoryPlanner.Choose(79 * GiB, PlentyOfHost, Bf16, Reserve);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
        Assert.Equal(TextEncoderPlacement.Gpu, plan.TextEncoder);
        Assert.Equal(40, plan.ResidentBlocks);
        Assert.True(plan.DeviceBytes <= 79 * GiB);
    }

    [Theory]
    [InlineData(39)] // 40 GB class (A100 40GB, L40S after the driver's share)
    [InlineData(47)] // 48 GB class
    public void Bf16_on_a_40_to_48GB_card_swaps_experts_per_phase(int freeGiB)
    {
        var plan = MemoryPlanner.Choose(freeGiB * GiB, PlentyOfHost, Bf16, Reserve);
        Assert.Equal(MemoryPlanKind.ExpertSwap, plan.Kind);
        Assert.True(plan.DeviceBytes <= freeGiB * GiB);
        // both experts keep a host copy, so a swap copies only towards the device
        Assert.True(plan.HostBytes >= 2 * Bf16.ExpertBytes);
    }

    [Fact]
    public void Bf16_on_a_24GB_card_swaps_blocks_and_keeps_as_many_as_fit()
    {
        var plan = MemoryPlanner.Choose(23 * GiB, PlentyOfHost, Bf16, Reserve);
        Assert.Equal(MemoryPlanKind.BlockSwap, plan.Kind);
        Assert.Equal(TextEncoderPlacement.Cpu, plan.TextEncoder);
        Assert.InRange(plan.ResidentBlocks, MemoryPlanner.MinResidentBlocks, 39);
        Assert.True(plan.DeviceBytes <= 23 * GiB);
        // one more block would not have fitted
        Assert.True(plan.DeviceBytes + Bf16.BlockBytes > 23 * GiB);
        // the device holds the resident blocks and the one streamed in
        Assert.Equal(Bf16.NonBlockBytes + Bf16.LoraBytes + Bf16.VaeBytes + Reserve + (plan.ResidentBlocks + 1) * Bf16.BlockBytes,
            plan.DeviceBytes);
    }

    [Fact]
    public void Fp8_on_a_48GB_card_keeps_everything_resident()
    {
        var plan = MemoryPlanner.Choose(47 * GiB, PlentyOfHost, Fp8, Reserve);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
    }

    [Fact]
    public void Text_encoder_moves_to_the_cpu_before_an_expert_is_swapped()
    {
        // bf16: 2 × 29.8 + 0.5 + 8 GiB-reserve ≈ 68 GB fits 70 GiB only without the 11.4 GB encoder
        var plan = MemoryPlanner.Choose(70 * GiB, PlentyOfHost, Bf16, Reserve);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
        Assert.Equal(TextEncoderPlacement.Cpu, plan.TextEncoder);
        Assert.Equal(Bf16.TextEncoderBytes, plan.HostBytes);
    }

    [Fact]
    public void Too_little_device_memory_fails_with_a_message_that_names_the_fix()
    {
        var e = Assert.Throws<MemoryPlanUnfitException>(() => MemoryPlanner.Choose(8 * GiB, PlentyOfHost, Bf16, Reserve));
        Assert.Contains("8.0 GiB free", e.Message);
        Assert.Contains("--variant fp8", e.Message);
    }

    [Fact]
    public void Too_little_host_memory_for_the_swapped_expert_rules_out_expert_swap()
    {
        // 47 GiB device would allow expert swap, but 20 GiB of host RAM cannot hold the host copies of the 29.8 GB
        // experts, which block swap needs too, so nothing fits.
        var e = Assert.Throws<MemoryPlanUnfitException>(() => MemoryPlanner.Choose(47 * GiB, 20 * GiB, Bf16, Reserve));
        Assert.Contains("host memory", e.Message);
    }

    [Fact]
    public void A_forced_plan_is_used_when_it_fits_and_refused_when_it_does_not()
    {
        var forced = MemoryPlanner.Choose(79 * GiB, PlentyOfHost, Bf16, Reserve, MemoryPlanKind.BlockSwap);
        Assert.Equal(MemoryPlanKind.BlockSwap, forced.Kind);
        Assert.Contains("forced", forced.Reason);
        Assert.Throws<MemoryPlanUnfitException>(() => MemoryPlanner.Choose(23 * GiB, PlentyOfHost, Bf16, Reserve, MemoryPlanKind.AllResident));
    }

    [Fact]
    public void A_configured_cpu_text_encoder_is_respected_even_when_the_gpu_has_room()
    {
        var plan = MemoryPlanner.Choose(79 * GiB, PlentyOfHost, Bf16, Reserve, textEncoder: TextEncoderPlacement.Cpu);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
        Assert.Equal(TextEncoderPlacement.Cpu, plan.TextEncoder);
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("all-resident", MemoryPlanKind.AllResident)]
    [InlineData("Expert-Swap", MemoryPlanKind.ExpertSwap)]
    [InlineData("block-swap", MemoryPlanKind.BlockSwap)]
    public void Plan_overrides_parse(string text, MemoryPlanKind? expected)
    {
        Assert.True(MemoryPlanner.TryParseOverride(text, out var kind));
        Assert.Equal(expected, kind);
    }

    [Fact]
    public void Unknown_plan_override_does_not_parse() => Assert.False(MemoryPlanner.TryParseOverride("half-resident", out _));

    [Fact]
    public void Guidance_is_batched_only_when_the_plan_has_room_for_a_batch_of_two()
    {
        long single = DitActivations.ReserveBytes(global::Svi.Inference.Wan.WanConfig.I2vA14B, batch: 1);
        long batched = DitActivations.ReserveBytes(global::Svi.Inference.Wan.WanConfig.I2vA14B, batch: 2);
        var roomy = MemoryPlanner.Choose(139 * GiB, PlentyOfHost, Bf16, single, batchedReserveBytes: batched);
        Assert.Equal(MemoryPlanKind.AllResident, roomy.Kind);
        Assert.True(roomy.BatchedGuidance);
        Assert.Contains("batched", roomy.ToString());

        // All-resident bf16 fits an 80 GB card with one sample's activations but not with two: keep the plan, do not batch.
        var tight = MemoryPlanner.Choose(2 * Bf16.ExpertBytes + 2 * Bf16.LoraBytes + Bf16.VaeBytes + single + GiB, PlentyOfHost, Bf16,
            single, textEncoder: TextEncoderPlacement.Cpu, batchedReserveBytes: batched);
        Assert.Equal(MemoryPlanKind.AllResident, tight.Kind);
        Assert.False(tight.BatchedGuidance);
    }

    [Fact]
    public void Derived_reserve_grows_with_tokens_and_batch()
    {
        var a14b = global::Svi.Inference.Wan.WanConfig.I2vA14B;
        long p480 = DitActivations.PeakBytes(a14b, global::Svi.Inference.Pipeline.SviArchitecture.Wan22A14B.ClipTokens(832, 480), 1, TorchSharp.torch.ScalarType.BFloat16);
        long p720 = DitActivations.PeakBytes(a14b, global::Svi.Inference.Pipeline.SviArchitecture.Wan22A14B.ClipTokens(1280, 720), 1, TorchSharp.torch.ScalarType.BFloat16);
        Assert.Equal(32_760, global::Svi.Inference.Pipeline.SviArchitecture.Wan22A14B.ClipTokens(832, 480));
        Assert.InRange(p720 / (double)p480, 2.2, 2.4); // 75,600 / 32,760 tokens
        Assert.True(DitActivations.ReserveBytes(a14b, 2) > DitActivations.ReserveBytes(a14b, 1));
    }

    [Fact]
    public void Fp8_experts_are_decoded_once_at_load_when_both_bf16_experts_fit()
    {
        var plan = MemoryPlanner.Choose(139 * GiB, PlentyOfHost, Fp8, Reserve);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
        Assert.Equal(Fp8Experts.DecodedAtLoad, plan.Fp8);
        // the plan's bytes are those of the decoded experts
        Assert.True(plan.DeviceBytes >= 2 * Fp8.DecodedExpertBytes!.Value + Reserve);
        Assert.Contains("decoded once at load", plan.Reason);
        Assert.Contains("FP8 experts decoded once to bf16 at load", plan.ToString());
    }

    [Fact]
    public void Fp8_experts_stay_fp8_when_the_bf16_experts_would_not_fit()
    {
        // 48 GB class: all-resident holds both FP8 experts, but not both decoded (2 × 26.6 GiB)
        var plan = MemoryPlanner.Choose(47 * GiB, PlentyOfHost, Fp8, Reserve);
        Assert.Equal(MemoryPlanKind.AllResident, plan.Kind);
        Assert.Equal(Fp8Experts.DecodedPerForward, plan.Fp8);
        Assert.True(plan.DeviceBytes < 2 * Fp8.DecodedExpertBytes!.Value);
        Assert.Contains("would need", plan.Reason);
    }

    [Fact]
    public void Decoding_yields_to_the_text_encoder_on_the_gpu_and_never_happens_under_swap()
    {
        // 66 GiB: both decoded experts fit only with the text encoder on the CPU, which would encode every prompt there
        var gpuEncoder = MemoryPlanner.Choose(66 * GiB, PlentyOfHost, Fp8, Reserve);
        Assert.Equal((MemoryPlanKind.AllResident, TextEncoderPlacement.Gpu, Fp8Experts.DecodedPerForward),
            (gpuEncoder.Kind, gpuEncoder.TextEncoder, gpuEncoder.Fp8));
        var cpuEncoder = MemoryPlanner.Choose(66 * GiB, PlentyOfHost, Fp8, Reserve, textEncoder: TextEncoderPlacement.Cpu);
        Assert.Equal((MemoryPlanKind.AllResident, Fp8Experts.DecodedAtLoad), (cpuEncoder.Kind, cpuEncoder.Fp8));
        var swap = MemoryPlanner.Choose(139 * GiB, PlentyOfHost, Fp8, Reserve, MemoryPlanKind.ExpertSwap);
        Assert.Equal(Fp8Experts.DecodedPerForward, swap.Fp8);
        Assert.Contains("FP8 copies half", swap.Reason);
        var blocks = MemoryPlanner.Choose(15 * GiB, PlentyOfHost, Fp8, Reserve);
        Assert.Equal((MemoryPlanKind.BlockSwap, Fp8Experts.DecodedPerForward), (blocks.Kind, blocks.Fp8));
    }

    [Fact]
    public void Decoding_is_preferred_to_batched_guidance_when_only_one_fits()
    {
        long single = 10 * GiB, batched = 18 * GiB;
        var decodedFits = 2 * (Fp8.DecodedExpertBytes!.Value + Fp8.LoraBytes) + Fp8.VaeBytes + Fp8.TextEncoderBytes + single + GiB;
        var plan = MemoryPlanner.Choose(decodedFits, PlentyOfHost, Fp8, single, batchedReserveBytes: batched);
        Assert.Equal((Fp8Experts.DecodedAtLoad, false), (plan.Fp8, plan.BatchedGuidance));
        var both = MemoryPlanner.Choose(decodedFits + batched, PlentyOfHost, Fp8, single, batchedReserveBytes: batched);
        Assert.Equal((Fp8Experts.DecodedAtLoad, true), (both.Fp8, both.BatchedGuidance));
    }

    [Fact]
    public void Weights_without_fp8_have_no_fp8_choice()
    {
        Assert.Equal(Fp8Experts.None, MemoryPlanner.Choose(139 * GiB, PlentyOfHost, Bf16, Reserve).Fp8);
        Assert.Equal(Fp8Experts.None, MemoryPlanner.ForCpu(PlentyOfHost, Bf16).Fp8);
        Assert.DoesNotContain("FP8", MemoryPlanner.Choose(139 * GiB, PlentyOfHost, Bf16, Reserve).ToString());
    }

    [Fact]
    public void On_the_cpu_fp8_experts_are_decoded_when_the_host_holds_them_in_bf16()
    {
        var ample = MemoryPlanner.ForCpu(PlentyOfHost, Fp8);
        Assert.Equal(Fp8Experts.DecodedAtLoad, ample.Fp8);
        Assert.Equal(2 * (Fp8.DecodedExpertBytes!.Value + Fp8.LoraBytes) + Fp8.VaeBytes + Fp8.TextEncoderBytes, ample.DeviceBytes);
        var tight = MemoryPlanner.ForCpu(48 * GiB, Fp8);
        Assert.Equal(Fp8Experts.DecodedPerForward, tight.Fp8);
        Assert.Contains("stay FP8", tight.Reason);
    }
}
