using Svi.Inference.Interpolation;
using Svi.Inference.Runtime;

namespace Svi.Server.Contracts;

/// <summary>
/// Whether this deployment can render <c>fps: 32</c> now: ONNX Runtime's native library loads in this process and the
/// RIFE ONNX file is installed. Shown by <c>/readyz</c> and the model schema; a request for 32 fps without it is
/// refused at submission (<see cref="Require"/>), never failed on the worker.
/// </summary>
/// <param name="Problem">why 32 fps cannot be rendered here, with what to do; null when it can</param>
/// <param name="Code">the error code a refused request gets</param>
public sealed record InterpolationSupport(bool Available, string? Problem, string? Code = null)
{
    /// <summary>Why ONNX Runtime cannot run interpolation in this process, whatever is installed; null when it loads.</summary>
    public static InterpolationSupport? Runtime => OnnxRuntimeAvailability.Problem is { } problem
        ? new(false, $"frame interpolation runs through ONNX Runtime, whose native library does not load on this host or " +
                     $"build ({problem}); install the onnxruntime native library (the Docker image has it)", "interpolation_unavailable")
        : null;

    public static InterpolationSupport Of(IModelInventory inventory)
    {
        if (Runtime is { } runtime) return runtime;
        if (inventory.InterpolationModel() is null)
            return new(false, "it needs the RIFE v4.9 ONNX interpolation model (the manifest's optional Interpolation file, 21 MB), " +
                              "which is not installed: run './svi models pull --interpolation'", "interpolation_model_missing");
        return new(true, null);
    }

    /// <summary>A 400 naming <c>fps</c> and why, when <paramref name="fps"/> is 32 and this deployment cannot render it.</summary>
    public void Require(int fps)
    {
        if (fps != OutputFps.Interpolated || Available) return;
        throw ApiException.Invalid("fps", $"'fps': {OutputFps.Interpolated} cannot be rendered here: {Problem}. Ask for 'fps': 16.", Code!);
    }
}
