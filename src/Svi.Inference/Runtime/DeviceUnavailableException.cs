namespace Svi.Inference.Runtime;

/// <summary>A CUDA device index was configured that does not exist on this host.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
