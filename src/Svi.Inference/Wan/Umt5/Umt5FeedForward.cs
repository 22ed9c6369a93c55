using Svi.Inference.Nn;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// Gated-GELU feed-forward: fc2(fc1(x) · gelu_tanh(gate(x))). <c>gate</c> is a list of one linear layer because the
/// checkpoint names it <c>gate.0</c> (a Sequential of the linear and the activation in the reference).
/// </summary>
public sealed class Umt5FeedForward : nn.Module<Tensor, Tensor>
{
    public Umt5FeedForward(Umt5Config config, ScalarType dtype) : base(nameof(Umt5FeedForward))
    {
        gate = nn.ModuleList(new Linear(config.Dim, config.DimFfn, hasBias: false, dtype: dtype));
        fc1 = new Linear(config.Dim, config.DimFfn, hasBias: false, dtype: dtype);
        fc2 = new Linear(config.DimFfn, config.Dim, hasBias: false, dtype: dtype);
        RegisterComponents();
    }

    readonly TorchSharp.Modules.ModuleList<Linear> gate;
    readonly Linear fc1, fc2;

    // x: [B, L, dim] → [B, L, dim]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(fc1.forward(x) * GeluTanh(gate[0].forward(x))).MoveToOuterDisposeScope();
    }

    // The reference spells the tanh approximation out; the same operations keep float32 results bit-close.
    static Tensor GeluTanh(Tensor x)
        => 0.5 * x * (1.0 + (Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x.pow(3.0))).tanh());
}
