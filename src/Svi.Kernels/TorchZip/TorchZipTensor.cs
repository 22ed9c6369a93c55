using static TorchSharp.torch;

namespace Svi.Kernels.TorchZip;

/// <summary>A tensor described by <c>torch._utils._rebuild_tensor_v2</c>: a strided view of one storage.</summary>
public sealed record TorchZipTensor(ScalarType DType, string StorageKey, long StorageNumel, long StorageOffset, long[] Shape, long[] Stride);
