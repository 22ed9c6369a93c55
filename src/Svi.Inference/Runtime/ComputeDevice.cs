namespace Svi.Inference.Runtime;

/// <summary>The device the models run on, with what is known about its memory.</summary>
/// <param name="Name">a libtorch device string: "cpu" or "cuda:N"</param>
/// <param name="FreeBytes">free memory now (host memory available for the CPU), or null when it could not be read</param>
/// <param name="Description">e.g. the GPU's product name, for logs</param>
public sealed record ComputeDevice(string Name, int? CudaIndex, long? FreeBytes, long? TotalBytes, string Description)
{
    public bool IsCuda => CudaIndex is not null;
    public TorchSharp.torch.Device ToTorch() => TorchSharp.torch.device(Name);
}
