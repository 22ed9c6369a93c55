using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Nn;

/// <summary>
/// The one linear layer every model in this project is built from. Its parameters are named
/// <c>weight</c> and <c>bias</c> like the checkpoints', so a state dict maps onto it unchanged.
/// How the weight is stored (plain, FP8 bytes plus scale, with LoRA deltas) is decided by the weights
/// layer, never by model code.
/// </summary>
public class Linear : nn.Module<Tensor, Tensor>
{
    public Linear(long inFeatures, long outFeatures, bool hasBias = true, ScalarType dtype = ScalarType.Float32)
        : base(nameof(Linear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = nn.Parameter(empty(outFeatures, inFeatures, dtype: dtype), requires_grad: false);
        bias = hasBias ? nn.Parameter(zeros(outFeatures, dtype: dtype), requires_grad: false) : null;
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

#pragma warning disable IDE1006 // names are the checkpoint's key names
    public TorchSharp.Modules.Parameter weight;
    public TorchSharp.Modules.Parameter? bias;
#pragma warning restore IDE1006

    // x: [..., in] → [..., out]
    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);
}
