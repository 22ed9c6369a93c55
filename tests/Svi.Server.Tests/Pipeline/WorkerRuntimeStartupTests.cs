using Serilog;
using Svi.Inference.Runtime;
using Svi.Server.Hosting;
using Svi.Testing;

namespace Svi.Server.Tests.Pipeline;

public sealed class WorkerRuntimeStartupTests
{
    sealed class NoCuda : ICudaRuntime { public (int, string?) Probe() => (0, "no CUDA in CI"); }
    sealed class Memory : IDeviceMemoryProbe
    {
        public GpuMemory? Gpu(int index) => null;
        public long? HostAvailableBytes() => 64L << 30;
    }

    sealed class NothingInstalled : IModelInventory
    {
        public ModelAvailability Check() => new("svi2-pro", null, null, false, false, false,
            ["experts/high_noise_model.safetensors"], "Run ./svi models pull");
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
        var plans = Plans(new NothingInstalled(), "auto");
        await new WorkerRuntimeStartup(plans).StartAsync(CancellationToken.None);
        Assert.Throws<Svi.Inference.Weights.WeightsMissingException>(() => plans.Plan());
    }
}
