using Svi.Inference.Runtime;
using Svi.Inference.Weights;

namespace Svi.Server.Hosting;

/// <summary>
/// Chooses the worker's device and memory plan when the worker starts, so its log says at once which model variant,
/// device and plan it will run (RuntimePlanner logs them, structured). Without weights, without a GPU or with a GPU too
/// small for any plan the worker still starts: the reason is logged and each job reports it; no CUDA falls back to the
/// CPU.
/// </summary>
public sealed class WorkerRuntimeStartup(RuntimePlanSource plans) : IHostedService
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext<WorkerRuntimeStartup>();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var plan = plans.Plan();
            Log.Information("Worker runtime: {Device} ({DeviceDescription}), memory plan {MemoryPlan}, text encoder on {TextEncoder}",
                plan.Device.Name, plan.Device.Description, plan.Memory.Kind, plan.Memory.TextEncoder);
        }
        catch (Exception e) when (e is WeightsMissingException or CheckpointFormatException or IOException)
        {
            Log.Warning("Worker runtime not planned yet: {Reason} Jobs will fail until the weights are installed (./svi models pull)",
                e.Message);
        }
        catch (MemoryPlanUnfitException e)
        {
            Log.Error("{Reason} Jobs will fail with insufficient_gpu_memory until this changes", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
