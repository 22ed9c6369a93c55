using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>
/// The request's <c>fps</c>: 16 (what SVI renders) or 32 (RIFE inserts the middle frame between every two frames, so
/// N frames become 2N − 1 and the length stays the same).
/// </summary>
public static class OutputFps
{
    public const int Native = ClipPlanner.Fps, Interpolated = 32;
    public static readonly IReadOnlyList<int> Supported = [Native, Interpolated];

    public static int Read(RequestFields f, SviOptions options)
    {
        var fps = f.Integer("fps", Describe);
        if (fps is null) return options.Output.Fps;
        if (!Supported.Contains((int)fps.Value))
            throw ApiException.Invalid("fps", $"{Describe("fps")}; got {fps}.");
        return (int)fps.Value;
    }

    public static string Describe(string p) =>
        $"'{p}' must be {Native} (as rendered) or {Interpolated} (a RIFE frame between every two, through ONNX Runtime)";
}
