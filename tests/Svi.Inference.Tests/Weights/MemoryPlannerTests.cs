using Svi.Inference.Runtime;
using Svi.Inference.Weights;
using Svi.Kernels.Fp8;
using Svi.Kernels.Safetensors;
using static TorchSharp.torch;

namespace Svi.Inference.Tests.Weights;

public class MemoryPlannerTests
{
    const long GiB = 1L << 30;
    // A14B expert in bf16: ~28.6 GB, 40 blocks of ~0.68 GiB.
    static readonly MemoryDemand A14bBf16 = new(ExpertBytes: 27 * GiB, BlockBytes: 640L << 20, Blocks: 40, WorkingBytes: 6 * GiB);

    [Fact]
    public void H100_holds_both_bf16_experts()
    {
        var plan = MemoryPlanner.Choose(78 * GiB, A14bBf16);
        Assert.Equal(ExpertResidency.AllResident, plan.Residency);
    }

    [Fact]
    public void A_48GB_card_holds_one_expert_and_swaps_at_the_boundary()
    {
        var plan = MemoryPlanner.Choose(48 * GiB, A14bBf16);
        Assert.Equal(ExpertResidency.OneExpertResident, plan.Residency);
    }

    [Fact]
    public void A_24GB_card_swaps_blocks_keeping_as_many_as_fit()
    {
        var plan = MemoryPlanner.Choose(24 * GiB, A14bBf16);
        Assert.Equal(ExpertResidency.BlockSwap, plan.Residency);
        Assert.InRange(plan.ResidentBlocks, 1, A14bBf16.Blocks - 1);
        Assert.True(plan.PlannedBytes <= 24 * GiB * (1 - MemoryPlanner.DefaultMargin));
        // One more resident block would not fit.
        Assert.True(plan.PlannedBytes + A14bBf16.BlockBytes > 24 * GiB * (1 - MemoryPlanner.DefaultMargin));
    }

    [Fact]
    public void A_device_too_small_for_block_swap_says_what_it_needs()
    {
        var e = Assert.Throws<DeviceMemoryException>(() => MemoryPlanner.Choose(4 * GiB, A14bBf16));
        Assert.Contains("4.0 GiB free", e.Message);
    }

    [Fact]
    public void Fp8_kept_weights_count_one_byte_per_element()
    {
        using var dir = new TempDir();
        var sd = TinyWanLike.RandomStateDict();
        using (var plain = new TinyWanLike()) Assert.Equal(sd.Values.Sum(t => t.NumberOfElements * 4), ModuleBytes.Of(plain));
        var file = sd.Select(kv => kv.Key == "head.weight" ? KeyValuePair.Create(kv.Key, Fp8Codec.Encode(kv.Value, Fp8Format.E4M3FN)) : kv);
        SafetensorsWriter.Write(dir.File("m.safetensors"), file);
        using var model = new TinyWanLike();
        CheckpointLoader.Load(model, dir.File("m.safetensors"));
        long expected = sd.Values.Sum(t => t.NumberOfElements * 4) - sd["head.weight"].NumberOfElements * 3;
        Assert.Equal(expected, ModuleBytes.Of(model));
    }
}
