using Svi.Kernels;

namespace Svi.Inference.Runtime;

/// <summary>The tensors a module holds, its own and its submodules' (parameters and buffers): what moves with it.</summary>
public static class ModuleTensors
{
    public static IEnumerable<Tensor> Of(nn.Module module) => module.parameters().Cast<Tensor>().Concat(module.buffers());

    public static IEnumerable<(string Name, Tensor Tensor)> Named(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(module.named_buffers());

    public static long Bytes(nn.Module module) => Of(module).Sum(TensorMemory.ByteLength);
}
