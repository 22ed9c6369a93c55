using Serilog;

namespace Svi.Inference.Tests.Runtime;

public sealed class RuntimePlannerTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-plan-").FullName;

    sealed class Cuda(int n) : ICudaRuntime { public (int, string?) Probe() => (n, n == 0 ? "none" : null); }
    sealed class Memory(long gpuFree, long host) : IDeviceMemoryProbe
    {
        public GpuMemory? Gpu(int index) => new("test GPU", gpuFree, gpuFree);
        public long? HostAvailableBytes() => host;
    }

    /// <summary>A sparse file: the planner reads only sizes, so 28 GB costs no disk.</summary>
    string Sparse(string name, long bytes)
    {
        string path = Path.Combine(dir, name);
        using var f = File.Create(path);
        f.SetLength(bytes);
        return path;
    }

    ModelFiles Bf16Files() => new("bf16", new Dictionary<ModelRole, IReadOnlyList<string>>
    {
        [ModelRole.DitHigh] = [Sparse("h1.safetensors", 14_300_000_000), Sparse("h2.safetensors", 14_300_000_000)],
        [ModelRole.DitLow] = [Sparse("l.safetensors", 28_600_000_000)],
        [ModelRole.LoraHigh] = [Sparse("lh.safetensors", 1_226_928_552)],
        [ModelRole.LoraLow] = [Sparse("ll.safetensors", 1_226_928_552)],
        [ModelRole.TextEncoder] = [Sparse("t5.pth", 11_400_000_000)],
        [ModelRole.Vae] = [Sparse("vae.pth", 508_000_000)],
    });

    [Fact]
    public void Sharded_expert_sizes_add_up_and_the_larger_expert_counts()
    {
        var w = WeightFootprint.FromFiles(Bf16Files());
        Assert.Equal(28_600_000_000, w.ExpertBytes);
        Assert.Equal(1_226_928_552, w.LoraBytes);
    }

    [Fact]
    public void A_cuda_host_gets_a_plan_from_its_free_memory_and_a_cpu_host_gets_the_cpu()
    {
        var log = new LoggerConfiguration().CreateLogger();
        var files = Bf16Files();
        var gpu = RuntimePlanner.Plan(new InferenceOptions(), files, new Cuda(1), new Memory(45L << 30, 128L << 30), log);
        Assert.Equal(("cuda:0", MemoryPlanKind.ExpertSwap), (gpu.Device.Name, gpu.Memory.Kind));
        var cpu = RuntimePlanner.Plan(new InferenceOptions(), files, new Cuda(0), new Memory(0, 16L << 30), log);
        Assert.Equal("cpu", cpu.Device.Name);
        Assert.Equal(TextEncoderPlacement.Cpu, cpu.Memory.TextEncoder);
    }

    [Fact]
    public void The_plan_source_plans_once_and_names_the_missing_file_when_weights_are_absent()
    {
        var log = new LoggerConfiguration().CreateLogger();
        var missing = new RuntimePlanSource(new FixedModelInventory { Installed = false }, new InferenceOptions(), new Cuda(0), new Memory(0, 1L << 34), log);
        var e = Assert.Throws<global::Svi.Inference.Weights.WeightsMissingException>(() => missing.Plan());
        Assert.Equal("svi-2-0-pro/DitHigh.safetensors", e.FilePath);

        var inventory = new FixedModelInventory(Bf16Files());
        var source = new RuntimePlanSource(inventory, new InferenceOptions(), new Cuda(1), new Memory(80L << 30, 1L << 37), log);
        Assert.Same(source.Plan(), source.Plan());
        Assert.Equal(1, inventory.Checks);
    }

    sealed class Collect : Serilog.Core.ILogEventSink
    {
        public List<string> Messages { get; } = [];
        public void Emit(Serilog.Events.LogEvent e) => Messages.Add(e.RenderMessage());
    }

    /// <summary>An fp8 variant in miniature: each expert one FP8 [1024, 1024] linear (1 MiB) with its scale.</summary>
    ModelFiles Fp8Files()
    {
        string Expert(string name)
        {
            string path = Path.Combine(dir, name);
            using var bytes = TorchSharp.torch.ones(1024, 1024).to(global::Svi.Kernels.Safetensors.SafetensorsDType.Float8E4M3FN);
            using var scale = TorchSharp.torch.tensor(0.01f);
            global::Svi.Kernels.Safetensors.SafetensorsWriter.Write(path,
                [new("blocks.0.ffn.0.weight", bytes), new("blocks.0.ffn.0.scale_weight", scale)]);
            return path;
        }
        return new("fp8", new Dictionary<ModelRole, IReadOnlyList<string>>
        {
            [ModelRole.DitHigh] = [Expert("high.safetensors")],
            [ModelRole.DitLow] = [Expert("low.safetensors")],
        });
    }

    [Theory]
    [InlineData(8L << 20, Fp8Experts.DecodedAtLoad, "decoded once at load")]
    [InlineData(3L << 20, Fp8Experts.DecodedPerForward, "stay FP8")]
    public void Fp8_files_are_planned_decoded_at_load_when_their_bf16_size_fits_and_the_log_says_which(
        long gpuFree, Fp8Experts expected, string logged)
    {
        var files = Fp8Files();
        var weights = WeightFootprint.FromFiles(files);
        // the fp32 scale counts as bf16, what the loader keeps of a float32 tensor
        Assert.Equal((1L << 20) + 2, weights.ExpertBytes);
        Assert.Equal((2L << 20) + 2, weights.DecodedExpertBytes);
        var sink = new Collect();
        var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        var plan = RuntimePlanner.Plan(new InferenceOptions { ActivationReserveGiB = 0 }, files, new Cuda(1), new Memory(gpuFree, 1L << 34), log);

        Assert.Equal((MemoryPlanKind.AllResident, expected), (plan.Memory.Kind, plan.Memory.Fp8));
        Assert.Contains(sink.Messages, m => m.StartsWith("Memory plan for", StringComparison.Ordinal) && m.Contains(logged, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
