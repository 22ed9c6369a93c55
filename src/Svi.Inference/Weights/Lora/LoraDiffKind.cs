namespace Svi.Inference.Weights;

/// <summary>Which parameter of its target a full difference is added to.</summary>
public enum LoraDiffKind
{
    /// <summary><c>X.diff</c> → <c>X.weight</c> (or the parameter <c>X</c> itself when X names one).</summary>
    Weight,
    /// <summary><c>X.diff_b</c> → <c>X.bias</c>.</summary>
    Bias,
    /// <summary><c>X.diff_m</c> → <c>X.modulation</c> (LightX2V's own hosted files carry <c>blocks.N.diff_m</c>).</summary>
    Modulation,
}
