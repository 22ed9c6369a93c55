using static TorchSharp.torch;

namespace Svi.Inference.Tests.Weights;

/// <summary>A temporary directory removed with the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("svi-weights-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class TensorAssert
{
    public static bool Same(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.equal(b).all().item<bool>();

    /// <summary>max |a − b| in float32.</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = (a.to(ScalarType.Float32) - b.to(ScalarType.Float32)).abs().max();
        return d.item<float>();
    }
}
