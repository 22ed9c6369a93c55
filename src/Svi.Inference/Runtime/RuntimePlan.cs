namespace Svi.Inference.Runtime;

/// <summary>Where inference runs and how the weights are laid out there.</summary>
public sealed record RuntimePlan(ComputeDevice Device, MemoryPlan Memory);
