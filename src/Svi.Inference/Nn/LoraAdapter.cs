using static TorchSharp.torch;

namespace Svi.Inference.Nn;

/// <summary>
/// One LoRA pair kept apart from the weight: Down (A) [r, in], Up (B) [out, r], and the factor it is applied
/// with (strength times the file format's own factor).
/// </summary>
public sealed record LoraAdapter(Tensor Down, Tensor Up, double Scale) : IDisposable
{
    public void Dispose()
    {
        Down.Dispose();
        Up.Dispose();
    }
}
