using Microsoft.ML.OnnxRuntime;
using Svi.Inference.Interpolation;

namespace Svi.Inference.Tests.Interpolation;

/// <summary>The ONNX path on the real ONNX Runtime CPU provider, with the tiny stand-in graph of the RIFE signature.</summary>
public sealed class RifeInterpolatorTests
{
    [Fact]
    public void Tiny_graph_has_the_published_rife_signature()
    {
        using var dir = new TempDir();
        using var session = new InferenceSession(LinearBlendRifeGraph.Write(dir.File("rife.onnx")));
        Assert.Empty(RifeSignature.Problems(session));
    }

    [Fact]
    public void A_graph_with_other_input_names_is_refused_with_what_it_has()
    {
        using var dir = new TempDir();
        using var session = new InferenceSession(LinearBlendRifeGraph.Write(dir.File("other.onnx"), firstInput: "input"));
        var problems = RifeSignature.Problems(session);
        Assert.Contains(problems, p => p.Contains("'img0'") && p.Contains("input"));
        var error = Assert.Throws<InvalidDataException>(() => new RifeInterpolator(session));
        Assert.Contains("img0", error.Message);
    }

    [Theory]
    [InlineData(70, 38)]   // neither side a multiple of 64: padded to 128x64 and cropped back
    [InlineData(128, 64)]
    public void Middle_frame_goes_through_onnx_runtime_in_planar_zero_to_one_range(int width, int height)
    {
        using var dir = new TempDir();
        using var interpolator = RifeInterpolator.Open(LinearBlendRifeGraph.Write(dir.File("rife.onnx")), preferCuda: false);
        var random = new Random(3);
        var first = new byte[width * height * 3];
        var second = new byte[first.Length];
        random.NextBytes(first);
        random.NextBytes(second);

        var middle = interpolator.Middle(first, second, width, height);

        // The stand-in computes img0 + (img1 − img0) · 0.5 on values ÷ 255, channel by channel, in float32.
        var expected = first.Zip(second, (a, b) =>
        {
            float x = a / 255f, y = b / 255f;
            return (byte)Math.Clamp((int)MathF.Round((x + (y - x) * 0.5f) * 255f), 0, 255);
        }).ToArray();
        Assert.Equal(expected, middle);
    }

    [Fact]
    public void Frames_of_the_wrong_size_are_refused()
    {
        using var dir = new TempDir();
        using var interpolator = RifeInterpolator.Open(LinearBlendRifeGraph.Write(dir.File("rife.onnx")), preferCuda: false);
        Assert.Throws<ArgumentException>(() => interpolator.Middle(new byte[12], new byte[11], 2, 2));
    }

    [Fact]
    public void Without_cuda_the_session_falls_back_to_the_cpu_provider()
    {
        using var dir = new TempDir();
        using var interpolator = RifeInterpolator.Open(LinearBlendRifeGraph.Write(dir.File("rife.onnx")), preferCuda: true);
        bool nvidia = File.Exists("/proc/driver/nvidia/version");
        Assert.Equal(nvidia ? OnnxExecutionProvider.Cuda : OnnxExecutionProvider.Cpu, interpolator.Provider);
        Assert.Equal(12, interpolator.Middle(new byte[12], new byte[12], 2, 2).Length);
    }
}
