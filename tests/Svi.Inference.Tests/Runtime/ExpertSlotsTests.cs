using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Runtime;

/// <summary>
/// Expert swap and block swap, run on the CPU through <see cref="GuardedWeightMover"/>: weights the plan keeps on the
/// host are NaN there, so a render that matches the all-resident one bit for bit never touched them.
/// </summary>
public sealed class ExpertSlotsTests : IDisposable
{
    static readonly WanConfig Config = TinySviModels.Architecture.I2v with { NumLayers = 3 };
    // 4 steps at shift 5 have t = 1000, 937.5, 833.3, 625: the high-noise expert takes two steps, the low-noise two.
    static readonly SviSampling Sampling = new(Steps: 4, Shift: 5, Boundary: 0.875, Cfg: 4);
    const int Clips = 2;

    readonly string directory = Directory.CreateTempSubdirectory("svi-slots-").FullName;
    readonly GuardedWeightMover mover = new();

    public void Dispose()
    {
        mover.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Expert_swap_holds_one_expert_on_the_device_and_renders_what_all_resident_renders()
    {
        using var high = Expert(seed: 1);
        using var low = Expert(seed: 2);
        var slots = new ExpertSlots(capacity: 1, mover);
        var swapped = Render(new WanVelocityModel(high, slots.Add("high", high, residentBlocks: 3)),
            new WanVelocityModel(low, slots.Add("low", low, residentBlocks: 3)));

        AssertSameRender(AllResidentRender(), swapped);
        Assert.Equal(ModuleTensors.Bytes(high), mover.PeakDeviceBytes);
        // each clip starts on the high-noise expert and switches once: two swaps a clip
        var entries = mover.Moves.Where(m => m.ToDevice && m.Module is global::Svi.Inference.Wan.Dit.PatchEmbedding)
            .Select(m => ReferenceEquals(m.Module, high.named_children().Single(c => c.name == "patch_embedding").module) ? "high" : "low");
        Assert.Equal(["high", "low", "high", "low"], entries);
    }

    [Fact]
    public void Block_swap_streams_the_blocks_past_the_resident_ones_through_the_device_one_at_a_time()
    {
        using var high = Expert(seed: 1);
        using var low = Expert(seed: 2);
        var slots = new ExpertSlots(capacity: 1, mover);
        var highResidency = slots.Add("high", high, residentBlocks: 1);
        var streamed = Render(new WanVelocityModel(high, highResidency),
            new WanVelocityModel(low, slots.Add("low", low, residentBlocks: 1)));

        AssertSameRender(AllResidentRender(), streamed);
        long block = ModuleTensors.Bytes(high.Blocks[0]);
        Assert.Equal(ModuleTensors.Bytes(high) - 2 * block, highResidency.DeviceBytes);
        Assert.Equal(2 * block, highResidency.StreamedBytes);
        Assert.Equal(highResidency.DeviceBytes + block, mover.PeakDeviceBytes);
        // resident block 0 comes with the expert (once a clip); blocks 1 and 2 come for every forward:
        // 2 high-noise steps × (conditional + unconditional) × 2 clips
        Assert.Equal(Clips, mover.TimesToDevice(high.Blocks[0]));
        Assert.Equal(2 * 2 * Clips, mover.TimesToDevice(high.Blocks[1]));
        Assert.Equal(2 * 2 * Clips, mover.TimesToDevice(high.Blocks[2]));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void The_host_copy_mover_renders_what_all_resident_renders(int residentBlocks)
    {
        // Off the device its tensors are empty: any weight the plan left on the host would fail the forward.
        using var high = Expert(seed: 1);
        using var low = Expert(seed: 2);
        using var hostCopies = new HostCopyWeightMover(CPU);
        var slots = new ExpertSlots(capacity: 1, hostCopies);
        var swapped = Render(new WanVelocityModel(high, slots.Add("high", high, residentBlocks)),
            new WanVelocityModel(low, slots.Add("low", low, residentBlocks)));

        AssertSameRender(AllResidentRender(), swapped);
        Assert.Equal(0, high.Blocks[2].parameters().First().NumberOfElements);
    }

    [Fact]
    public void The_host_copy_mover_empties_a_module_on_the_host_and_restores_it_on_the_device()
    {
        using var model = Expert(seed: 1);
        var block = model.Blocks[0];
        var before = block.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var hostCopies = new HostCopyWeightMover(CPU);

        hostCopies.ToHost(block);
        Assert.All(block.parameters(), p => Assert.Equal(0, p.NumberOfElements));
        hostCopies.ToDevice(block);
        hostCopies.ToHost(block);
        hostCopies.ToDevice(block);

        foreach (var (name, value) in block.state_dict())
            TensorAssert.Equal(value, before[name], $"{name} changed across moves");
    }

    [Theory]
    [InlineData(MemoryPlanKind.AllResident, typeof(TorchWeightMover))]
    [InlineData(MemoryPlanKind.ExpertSwap, typeof(HostCopyWeightMover))]
    [InlineData(MemoryPlanKind.BlockSwap, typeof(HostCopyWeightMover))]
    public void Plans_that_swap_keep_host_copies_and_the_all_resident_plan_keeps_one_copy(MemoryPlanKind plan, Type mover) =>
        Assert.IsType(mover, WeightMovers.For(plan, CPU));

    [Fact]
    public void Full_slots_send_the_expert_that_ran_longest_ago_back_to_the_host()
    {
        using var a = Expert(seed: 1);
        using var b = Expert(seed: 2);
        using var c = Expert(seed: 3);
        var slots = new ExpertSlots(capacity: 2, mover);
        var (ra, rb, rc) = (slots.Add("a", a, 3), slots.Add("b", b, 3), slots.Add("c", c, 3));

        Assert.Empty(slots.OnDevice);
        ra.Run(() => 0);
        rb.Run(() => 0);
        ra.Run(() => 0);
        rc.Run(() => 0);

        Assert.Equal([rc, ra], slots.OnDevice);
        Assert.False(rb.OnDevice);
        Assert.Equal(ModuleTensors.Bytes(a) + ModuleTensors.Bytes(c), mover.DeviceBytes);
    }

    [Fact]
    public void Resident_blocks_must_be_blocks_the_expert_has()
    {
        using var model = Expert(seed: 1);
        var slots = new ExpertSlots(capacity: 1, mover);
        Assert.Throws<ArgumentOutOfRangeException>(() => slots.Add("high", model, residentBlocks: 4));
    }

    WanTransformer Expert(long seed)
    {
        string path = Path.Combine(directory, $"expert{seed}.safetensors");
        if (!File.Exists(path))
            using (var module = new WanTransformer(Config))
                TinyCheckpoints.WriteModule(module, path, seed);
        return SviModelLoader.LoadExpert(Config, path, [], ScalarType.Float32, CPU);
    }

    /// <summary>The same experts with no residency: every weight stays where it was loaded.</summary>
    (byte[] Video, List<Tensor> Latents) AllResidentRender()
    {
        using var high = Expert(seed: 1);
        using var low = Expert(seed: 2);
        return Render(new WanVelocityModel(high), new WanVelocityModel(low));
    }

    static (byte[] Video, List<Tensor> Latents) Render(IVelocityModel high, IVelocityModel low)
    {
        var standIn = new StandInPipeline();
        var latents = new LatentRecorder();
        var sink = new RecordingSink();
        var pipeline = new SviPipeline(new ExpertPair(high, low), standIn.Vae, new SeededNoiseSource(), ScalarType.Float32, CPU)
        {
            Observer = latents,
        };
        using var anchor = standIn.AnchorLatent();
        using var contexts = new EncodedClipContexts(new StandInTextEncoder(textLen: 8, textDim: Config.TextDim),
            new PromptSchedule(["p"]), "negative");
        pipeline.Run(new SviRun(ClipPlanner.ForClips(Clips, 1), Sampling, 5, anchor, contexts), sink, null, "run", null,
            CancellationToken.None);
        return (sink.Video, latents.Latents);
    }

    static void AssertSameRender((byte[] Video, List<Tensor> Latents) expected, (byte[] Video, List<Tensor> Latents) actual)
    {
        Assert.Equal(Clips, actual.Latents.Count);
        for (int clip = 0; clip < Clips; clip++)
        {
            Assert.False(actual.Latents[clip].isnan().any().item<bool>(), $"clip {clip} used weights left on the host");
            TensorAssert.Equal(actual.Latents[clip], expected.Latents[clip], $"clip {clip} latent differs");
        }
        Assert.Equal(expected.Video, actual.Video);
    }

    sealed class LatentRecorder : ISviObserver
    {
        public List<Tensor> Latents { get; } = [];
        public void Finished(int clip, Tensor latent, Tensor decoded) => Latents.Add(latent.clone().DetachFromDisposeScope());
    }
}
