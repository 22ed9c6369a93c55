namespace Svi.Inference.Runtime;

public sealed record GpuMemory(string Name, long FreeBytes, long TotalBytes);
