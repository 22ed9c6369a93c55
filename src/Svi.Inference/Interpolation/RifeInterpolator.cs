using Microsoft.ML.OnnxRuntime;
using Svi.Inference.Weights.Random;

namespace Svi.Inference.Interpolation;

/// <summary>
/// Runs a RIFE v4.x ONNX file (<see cref="RifeSignature"/>) through ONNX Runtime. Frames go in as Practical-RIFE's
/// <c>inference_video.py</c> feeds them: rgb24 → planar RGB float32 in 0..1 (÷ 255), zero-padded right and bottom,
/// and come back cropped and rounded to bytes (Practical-RIFE truncates with <c>.byte()</c>; rounding is unbiased).
/// </summary>
public sealed class RifeInterpolator : IFrameInterpolator, IDisposable
{
    static readonly float[] Half = [0.5f];
    readonly InferenceSession session;

    public RifeInterpolator(InferenceSession session)
    {
        var problems = RifeSignature.Problems(session);
        if (problems.Count > 0)
            throw new InvalidDataException($"not a RIFE v4.x ONNX graph: {string.Join("; ", problems)}");
        this.session = session;
    }

    public OnnxExecutionProvider Provider { get; init; } = OnnxExecutionProvider.Cpu;

    /// <summary>
    /// Opens <paramref name="modelPath"/> on CUDA when <paramref name="preferCuda"/> and it loads, else on the CPU. A
    /// random-weights address (<see cref="RandomWeightsPath"/>) opens the <see cref="LinearBlendRifeGraph"/> stand-in.
    /// </summary>
    public static RifeInterpolator Open(string modelPath, bool preferCuda)
    {
        var (session, provider) = RandomWeightsPath.IsRandom(modelPath)
            ? OnnxSessionFactory.Open(modelPath, LinearBlendRifeGraph.Model(), preferCuda)
            : OnnxSessionFactory.Open(modelPath, preferCuda);
        try
        {
            return new RifeInterpolator(session) { Provider = provider };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static int Padded(int size) => (size + RifeSignature.PadMultiple - 1) / RifeSignature.PadMultiple * RifeSignature.PadMultiple;

    public byte[] Middle(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int width, int height)
    {
        int frameBytes = width * height * 3;
        if (first.Length != frameBytes || second.Length != frameBytes)
            throw new ArgumentException($"frames must be {width}x{height} rgb24 ({frameBytes} bytes), got {first.Length} and {second.Length}");
        int paddedWidth = Padded(width), paddedHeight = Padded(height);
        long[] shape = [1, 3, paddedHeight, paddedWidth];
        using var img0 = OrtValue.CreateTensorValueFromMemory(ToPlanar(first, width, height, paddedWidth, paddedHeight), shape);
        using var img1 = OrtValue.CreateTensorValueFromMemory(ToPlanar(second, width, height, paddedWidth, paddedHeight), shape);
        using var timestep = OrtValue.CreateTensorValueFromMemory(Half, [1]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [RifeSignature.First, RifeSignature.Second, RifeSignature.Timestep],
            [img0, img1, timestep], [RifeSignature.Output]);
        return FromPlanar(outputs[0].GetTensorDataAsSpan<float>(), width, height, paddedWidth, paddedHeight);
    }

    // [H, W, 3] bytes → [3, Hp, Wp] floats in 0..1, zeros in the padding
    static float[] ToPlanar(ReadOnlySpan<byte> rgb, int width, int height, int paddedWidth, int paddedHeight)
    {
        var planes = new float[3 * paddedHeight * paddedWidth];
        int plane = paddedHeight * paddedWidth;
        for (int y = 0; y < height; y++)
        {
            var row = rgb.Slice(y * width * 3, width * 3);
            int at = y * paddedWidth;
            for (int x = 0; x < width; x++)
            {
                planes[at + x] = row[3 * x] / 255f;
                planes[plane + at + x] = row[3 * x + 1] / 255f;
                planes[2 * plane + at + x] = row[3 * x + 2] / 255f;
            }
        }
        return planes;
    }

    // [3, Hp, Wp] floats → the top-left [H, W, 3] as bytes
    static byte[] FromPlanar(ReadOnlySpan<float> planes, int width, int height, int paddedWidth, int paddedHeight)
    {
        var rgb = new byte[width * height * 3];
        int plane = paddedHeight * paddedWidth;
        for (int y = 0; y < height; y++)
        {
            int at = y * paddedWidth, to = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                rgb[to + 3 * x] = ToByte(planes[at + x]);
                rgb[to + 3 * x + 1] = ToByte(planes[plane + at + x]);
                rgb[to + 3 * x + 2] = ToByte(planes[2 * plane + at + x]);
            }
        }
        return rgb;
    }

    static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value * 255f), 0, 255);

    public void Dispose() => session.Dispose();
}
