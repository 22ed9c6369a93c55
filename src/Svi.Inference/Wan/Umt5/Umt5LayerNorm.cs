namespace Svi.Inference.Wan.Umt5;

/// <summary>T5's RMS norm: no mean subtraction, no bias; the mean square is taken in float32 whatever the weights.</summary>
public sealed class Umt5LayerNorm : nn.Module<Tensor, Tensor>
{
    readonly double eps;

    public Umt5LayerNorm(long dim, double eps, ScalarType dtype) : base(nameof(Umt5LayerNorm))
    {
        this.eps = eps;
        weight = nn.Parameter(ones(dim, dtype: dtype), requires_grad: false);
        RegisterComponents();
    }

    readonly TorchSharp.Modules.Parameter weight;

    // x: [..., dim] → [..., dim]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = x * (x.to(ScalarType.Float32).pow(2).mean([-1], keepdim: true) + eps).rsqrt();
        // Half-precision weights pull the result back to their dtype, as the reference does; fp32 weights keep fp32.
        if (weight.dtype is ScalarType.BFloat16 or ScalarType.Float16) normed = normed.to(weight.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
