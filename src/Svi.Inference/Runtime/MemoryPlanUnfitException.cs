namespace Svi.Inference.Runtime;

/// <summary>The device cannot hold even the smallest plan for the installed weights.</summary>
public sealed class MemoryPlanUnfitException(string message) : Exception(message);
