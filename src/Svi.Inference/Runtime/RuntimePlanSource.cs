using Serilog;
using Svi.Inference.Weights;

namespace Svi.Inference.Runtime;

/// <summary>
/// The worker's device and memory plan, chosen once from what is installed (the first call plans and logs; later calls
/// return the same plan). Fails with <see cref="WeightsMissingException"/> naming the first missing file when the
/// image-to-video weights are not installed, so a worker without weights reports it instead of planning for nothing.
/// </summary>
public sealed class RuntimePlanSource(
    IModelInventory inventory, InferenceOptions options, ICudaRuntime cuda, IDeviceMemoryProbe memory, ILogger log)
{
    readonly Lock gate = new();
    RuntimePlan? plan;

    public RuntimePlan Plan()
    {
        lock (gate)
        {
            if (plan is not null) return plan;
            var availability = inventory.Check();
            if (availability.Files is null)
                throw new WeightsMissingException(availability.Missing.FirstOrDefault() ?? availability.Model, availability.Hint);
            return plan = RuntimePlanner.Plan(options, availability.Files, cuda, memory, log);
        }
    }
}
