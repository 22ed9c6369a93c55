using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// The output head: layer norm modulated by the time embedding e (shift, scale from <c>modulation</c> + e),
/// then a linear to prod(patch)·out_dim values per token. Runs entirely in fp32, as the reference does.
/// </summary>
public sealed class WanHead : nn.Module
{
    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly WanLayerNorm norm;
    readonly Linear head;
    readonly TorchSharp.Modules.Parameter modulation;

    public WanHead(int dim, int outDim, int patchVolume, double eps) : base(nameof(WanHead))
    {
        norm = new WanLayerNorm(dim, eps);
        head = new Linear(dim, (long)patchVolume * outDim, dtype: ScalarType.Float32);
        modulation = nn.Parameter(zeros(1, 2, dim, dtype: ScalarType.Float32), requires_grad: false);
        RegisterComponents();
    }

    // x: [B, L, C] fp32 → [B, L, prod(patch)·out_dim] fp32
    public Tensor Forward(Tensor x, TimestepConditioning time)
    {
        using var scope = NewDisposeScope();
        var table = modulation.to(ScalarType.Float32) + time.Embedding.unsqueeze(1); // [U, 2, C]
        var modulated = norm.Modulated(x, time.PerToken(table.select(1, 1)), time.PerToken(table.select(1, 0)));
        return head.forward(modulated).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
