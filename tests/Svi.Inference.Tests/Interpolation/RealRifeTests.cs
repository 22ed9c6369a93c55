using Microsoft.ML.OnnxRuntime;
using Svi.Inference.Interpolation;

namespace Svi.Inference.Tests.Interpolation;

/// <summary>
/// The interpolation stage on a real RIFE file (<see cref="RealRifeFactAttribute"/>): its signature is accepted and its
/// middle frames behave as a frame interpolator's must, on a smooth synthetic texture.
/// </summary>
public sealed class RealRifeTests
{
    static string ModelPath => RealRifeFactAttribute.ModelPath!;

    // The file's own size where its graph is static (exports for one resolution), else a small 64-multiple.
    static (int Width, int Height) FrameSize()
    {
        using var session = new InferenceSession(ModelPath);
        var dims = session.InputMetadata[RifeSignature.First].Dimensions;
        return dims[2] > 0 && dims[3] > 0 ? (dims[3], dims[2]) : (256, 192);
    }

    // a smooth colour texture (a few sinusoids), seen through a window that starts at column `shift`
    static byte[] Texture(int width, int height, double shift)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                {
                    double u = x + shift, v = y;
                    double value = 128 + 50 * Math.Sin(u / (7.0 + c) + v / 11.0) + 40 * Math.Cos(v / (5.0 + c) - u / 13.0)
                                   + 25 * Math.Sin((u + v) / 3.7);
                    rgb[(y * width + x) * 3 + c] = (byte)Math.Clamp(Math.Round(value), 0, 255);
                }
        return rgb;
    }

    // mean absolute difference inside a margin (RIFE's warps clamp at the frame's edges)
    static double Difference(byte[] a, byte[] b, int width, int height, int margin)
    {
        double sum = 0;
        int count = 0;
        for (int y = margin; y < height - margin; y++)
            for (int i = (y * width + margin) * 3; i < (y * width + width - margin) * 3; i++, count++)
                sum += Math.Abs(a[i] - b[i]);
        return sum / count;
    }

    [RealRifeFact]
    public void The_file_has_the_signature_the_stage_runs()
    {
        using var session = new InferenceSession(ModelPath);
        Assert.Empty(RifeSignature.Problems(session));
    }

    [RealRifeFact]
    public void The_middle_of_two_identical_frames_is_that_frame()
    {
        var (width, height) = FrameSize();
        using var interpolator = RifeInterpolator.Open(ModelPath, preferCuda: false);
        var frame = Texture(width, height, 0);

        var middle = interpolator.Middle(frame, frame, width, height);

        Assert.True(Difference(frame, middle, width, height, 0) < 1.0, $"mean difference {Difference(frame, middle, width, height, 0):0.000} levels");
    }

    [RealRifeFact]
    public void The_middle_of_a_pan_is_the_half_way_view()
    {
        var (width, height) = FrameSize();
        using var interpolator = RifeInterpolator.Open(ModelPath, preferCuda: false);
        byte[] first = Texture(width, height, 0), second = Texture(width, height, 8), halfway = Texture(width, height, 4);

        var middle = interpolator.Middle(first, second, width, height);

        double toHalfway = Difference(middle, halfway, width, height, 16);
        double toEnds = Math.Min(Difference(middle, first, width, height, 16), Difference(middle, second, width, height, 16));
        // a blend of the two ends (what a failed flow gives) is no nearer the half-way view than the ends are
        double blend = Difference(first.Zip(second, (a, b) => (byte)((a + b + 1) / 2)).ToArray(), halfway, width, height, 16);
        Assert.True(toHalfway < 0.25 * toEnds && toHalfway < 0.5 * blend,
            $"middle vs half-way view {toHalfway:0.00} levels; vs the nearer end {toEnds:0.00}; a plain blend vs half-way {blend:0.00}");
    }
}
