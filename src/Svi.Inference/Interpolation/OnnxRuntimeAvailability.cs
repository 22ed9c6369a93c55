using Microsoft.ML.OnnxRuntime;

namespace Svi.Inference.Interpolation;

/// <summary>
/// Whether ONNX Runtime's native library loads in this process, asked once: a build without it fails with
/// <see cref="OnnxRuntimeUnavailableException"/> before any model is loaded rather than with a type-initializer error.
/// </summary>
public static class OnnxRuntimeAvailability
{
    static readonly Lazy<Exception?> LoadFailure = new(Probe);

    /// <summary>Why ONNX Runtime does not load here, or null when it does.</summary>
    public static string? Problem => LoadFailure.Value is { } failure ? Reason(failure) : null;

    public static void ThrowIfUnavailable()
    {
        if (LoadFailure.Value is { } failure)
            throw new OnnxRuntimeUnavailableException(Reason(failure), failure);
    }

    static Exception? Probe()
    {
        try
        {
            _ = OrtEnv.Instance();
            return null;
        }
        catch (Exception e) when (IsLoadFailure(e) || e is TypeInitializationException { InnerException: { } inner } && IsLoadFailure(inner))
        {
            return e.InnerException ?? e;
        }
    }

    static bool IsLoadFailure(Exception e) => e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException;

    // The loader's first sentence names the library; the rest lists every path it tried.
    static string Reason(Exception failure) => failure.Message.Split(". ", 2)[0].Trim();
}
