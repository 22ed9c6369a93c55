using static TorchSharp.torch;

namespace Svi.Inference.Weights;

/// <summary>Sizes of loaded modules as stored (an FP8 weight counts one byte per element), for memory planning.</summary>
public static class ModuleBytes
{
    /// <summary>Bytes of every parameter and buffer of <paramref name="module"/> (its state dict).</summary>
    public static long Of(nn.Module module) => module.state_dict().Values.Sum(t => t.NumberOfElements * t.ElementSize);
}
