using Serilog;

namespace Svi.Server.Tests.Pipeline;

public sealed class WorkerRuntimeStartupTests
{
    sealed class NoCuda : ICudaRuntime { public (int, string?) Probe() => (0, "no CUDA in CI"); }
    sealed class Memory : IDeviceMemoryProbe
    {
        public GpuMemory? Gpu(int index) => null;
        public long? HostAvailableBytes() => 64L << 30;
    }

    sealed class OneSmallGpu : ICudaRuntime, IDeviceMemoryProbe
    {
        public (int, string?) Probe() => (1, null);
        public GpuMemory? Gpu(int index) => new("2 GiB test GPU", 2L << 30, 2L << 30);
        public long? HostAvailableBytes() => 64L << 30;
    }

    static RuntimePlanSource Plans(IModelInventory inventory, string device) =>
        new(inventory, new InferenceOptions { Device = device }, new NoCuda(), new Memory(), Log.Logger);

    [Fact]
    public async Task A_worker_without_cuda_starts_and_plans_on_the_cpu()
    {
        string dir = Directory.CreateTempSubdirectory("svi-worker-start-").FullName;
        try
        {
            var plans = Plans(new FixedModelInventory(TinySviModels.Write(dir)), "cuda:0");
            await new WorkerRuntimeStartup(plans).StartAsync(CancellationToken.None);
            var plan = plans.Plan();
            Assert.False(plan.Device.IsCuda);
            Assert.Equal(MemoryPlanKind.AllResident, plan.Memory.Kind);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_without_weights_still_starts()
    {
        var plans = Plans(new FixedModelInventory { Installed = false }, "auto");
        await new WorkerRuntimeStartup(plans).StartAsync(CancellationToken.None);
        Assert.Throws<Svi.Inference.Weights.WeightsMissingException>(() => plans.Plan());
    }

    [Fact]
    public async Task A_worker_whose_gpu_is_too_small_for_any_plan_still_starts_and_says_why()
    {
        string dir = Directory.CreateTempSubdirectory("svi-worker-small-").FullName;
        try
        {
            var gpu = new OneSmallGpu();
            // the 8 GiB activation reserve alone is more than the card has
            var plans = new RuntimePlanSource(new FixedModelInventory(TinySviModels.Write(dir)), new InferenceOptions { Device = "cuda:0" },
                gpu, gpu, Log.Logger);
            await new WorkerRuntimeStartup(plans).StartAsync(CancellationToken.None);
            var unfit = Assert.Throws<MemoryPlanUnfitException>(() => plans.Plan());
            Assert.Contains("2.0 GiB free", unfit.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
