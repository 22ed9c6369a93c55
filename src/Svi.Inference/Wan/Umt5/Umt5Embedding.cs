namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// A lookup table with one parameter, <c>weight</c> [count, width], left uninitialised: it is always filled from a
/// checkpoint, and random-initialising a 256384 × 4096 table would cost seconds for nothing.
/// </summary>
public sealed class Umt5Embedding : nn.Module<Tensor, Tensor>
{
    public Umt5Embedding(long count, long width, ScalarType dtype) : base(nameof(Umt5Embedding))
    {
        weight = nn.Parameter(empty(count, width, dtype: dtype), requires_grad: false);
        RegisterComponents();
    }

    readonly TorchSharp.Modules.Parameter weight;

    public ScalarType DType => weight.dtype;
    public Device Device => weight.device;

    // indices: [...] int64 → [..., width]
    public override Tensor forward(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var rows = weight.index_select(0, indices.reshape(-1));
        return rows.view([.. indices.shape, weight.shape[1]]).MoveToOuterDisposeScope();
    }
}
