namespace Svi.Inference.Tests.Interpolation;

/// <summary>
/// A fact about a real RIFE v4.x ONNX file, which no test machine has (no model hub is reachable from them): it runs only
/// where <c>SVI_RIFE_ONNX</c> names one, e.g. <c>models/interpolation/rife49_ensemble_True_scale_1_sim.onnx</c> after
/// <c>./svi models pull --interpolation</c>.
/// </summary>
public sealed class RealRifeFactAttribute : FactAttribute
{
    public const string Variable = "SVI_RIFE_ONNX";

    public static string? ModelPath => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    public RealRifeFactAttribute()
    {
        if (ModelPath is null) Skip = $"needs a real RIFE v4.x ONNX file; set {Variable} to its path to run";
    }
}
