using Microsoft.ML.OnnxRuntime;

namespace Svi.Inference.Interpolation;

/// <summary>
/// The graph signature of the RIFE v4.x ONNX exports this server runs (yuvraj108c/rife-onnx, exported by
/// ComfyUI-Rife-Tensorrt's <c>export_onnx.py</c> from the Practical-RIFE weights): inputs <c>img0</c> and <c>img1</c>
/// float32 [1, 3, H, W] (planar RGB in 0..1), <c>timestep</c> float32 [1]; output <c>output</c> float32 [1, 3, H, W].
/// vs-mlrt's own RIFE files differ (one input of 7 or 11 concatenated planes) and are not accepted.
/// </summary>
public static class RifeSignature
{
    public const string First = "img0", Second = "img1", Timestep = "timestep", Output = "output";

    /// <summary>
    /// Frames are zero-padded right and bottom to this multiple and cropped back, as Practical-RIFE's
    /// <c>inference_video.py</c> pads (it uses 128 for every model; the v4.7–v4.9 graph pads to 64 inside itself, so
    /// padding to 64 outside keeps that inner pad a no-op at the lowest cost; vs-mlrt asks 32 of v4.0–v4.24 tiles).
    /// </summary>
    public const int PadMultiple = 64;

    /// <summary>What is wrong with the session's inputs and outputs for this signature; empty when it fits.</summary>
    public static IReadOnlyList<string> Problems(InferenceSession session)
    {
        var problems = new List<string>();
        CheckImage(session.InputMetadata, First, problems);
        CheckImage(session.InputMetadata, Second, problems);
        CheckImage(session.OutputMetadata, Output, problems);
        if (!session.InputMetadata.TryGetValue(Timestep, out var timestep))
            problems.Add($"no input '{Timestep}'");
        else if (timestep.ElementType != typeof(float) || timestep.Dimensions.Length != 1)
            problems.Add($"input '{Timestep}' is {Describe(timestep)}, expected float32 [1]");
        var extra = session.InputMetadata.Keys.Except([First, Second, Timestep]).ToList();
        if (extra.Count > 0) problems.Add($"unexpected inputs {string.Join(", ", extra)}");
        return problems;
    }

    static void CheckImage(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, List<string> problems)
    {
        if (!nodes.TryGetValue(name, out var node))
        {
            problems.Add($"no tensor '{name}' (has {string.Join(", ", nodes.Keys)})");
            return;
        }
        var dims = node.Dimensions;
        bool fits = node.ElementType == typeof(float) && dims.Length == 4 && dims[0] is 1 or -1 && dims[1] == 3;
        if (!fits) problems.Add($"'{name}' is {Describe(node)}, expected float32 [1, 3, H, W]");
    }

    static string Describe(NodeMetadata node) =>
        $"{node.ElementType.Name} [{string.Join(", ", node.Dimensions.Select((d, i) => d >= 0 ? d.ToString() : node.SymbolicDimensions[i]))}]";
}
