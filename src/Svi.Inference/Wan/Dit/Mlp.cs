using TorchSharp.Utils;
using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// Linear → activation → Linear, registered under the indices the reference's <c>nn.Sequential</c> gives them
/// (<c>0</c> and <c>2</c>), so <c>ffn.0.weight</c>, <c>text_embedding.2.bias</c>, <c>time_embedding.0.weight</c>
/// land here unchanged. Runs in the dtype of its input; the caller picks it.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly MlpActivation activation;

    [ComponentName(Name = "0")] readonly Linear first;
    [ComponentName(Name = "2")] readonly Linear second;

    public Mlp(long inDim, long hiddenDim, long outDim, MlpActivation activation, ScalarType dtype) : base(nameof(Mlp))
    {
        this.activation = activation;
        first = new Linear(inDim, hiddenDim, dtype: dtype);
        second = new Linear(hiddenDim, outDim, dtype: dtype);
        RegisterComponents();
    }

    // x: [..., in] → [..., out]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = first.forward(x);
        // In place: the hidden layer is the largest tensor of a block.
        hidden = activation switch
        {
            MlpActivation.GeluTanh => hidden.gelu_(TorchSharp.Modules.GELU.Approximate.tanh),
            _ => nn.functional.silu(hidden, inplace: true),
        };
        return second.forward(hidden).MoveToOuterDisposeScope();
    }
}
