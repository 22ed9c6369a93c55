using TorchSharp.Utils;
using Linear = Svi.Inference.Nn.Linear;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// SiLU → Linear(dim, 6·dim): the shared part of every block's six modulation vectors. The linear sits at
/// index <c>1</c> of the reference's <c>nn.Sequential</c> (key <c>time_projection.1.weight</c>).
/// </summary>
public sealed class TimeProjection : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "1")] readonly Linear projection;

    public TimeProjection(long dim, ScalarType dtype) : base(nameof(TimeProjection))
    {
        projection = new Linear(dim, 6 * dim, dtype: dtype);
        RegisterComponents();
    }

    // e: [..., dim] → [..., 6·dim]
    public override Tensor forward(Tensor e)
    {
        using var silu = nn.functional.silu(e);
        return projection.forward(silu);
    }
}
