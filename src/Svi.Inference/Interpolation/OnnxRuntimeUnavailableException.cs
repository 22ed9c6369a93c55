using Svi.Inference.Rendering;

namespace Svi.Inference.Interpolation;

/// <summary>
/// ONNX Runtime's native library does not load, so nothing can be interpolated (fps 32). The GPU kit's build
/// (bench/gpu/publish.sh) leaves that library out on purpose; elsewhere a missing dependency of it does this.
/// </summary>
public sealed class OnnxRuntimeUnavailableException(string reason, Exception inner) : RenderFailedException("interpolation_unavailable",
    $"Frame interpolation (fps 32) needs ONNX Runtime, whose native library did not load ({reason}). Render at 16 fps, " +
    "or use a build that carries libonnxruntime.so (the GPU kit's build, bench/gpu/publish.sh, leaves it out).", inner);
