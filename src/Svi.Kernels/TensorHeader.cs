namespace Svi.Kernels;

/// <summary>One tensor's description in a checkpoint: dtype as the safetensors name (F32, BF16, F8_E4M3, …) and shape.</summary>
public sealed record TensorHeader(string Name, string DType, long[] Shape, string FilePath);
