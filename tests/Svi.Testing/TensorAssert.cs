using System.Globalization;

namespace Svi.Testing;

/// <summary>
/// Tensor assertions for both test projects. Each throws <see cref="TensorMismatchException"/> naming the shapes or the
/// largest absolute and relative difference, so a failing test says by how much it failed. Differences are taken in
/// float64; the relative difference is max|actual − expected| / max|expected|.
/// </summary>
public static class TensorAssert
{
    /// <summary>Same shape, same dtype and bit-for-bit equal values.</summary>
    public static void Equal(Tensor expected, Tensor actual, string? what = null)
    {
        SameShape(expected, actual, what);
        if (expected.dtype != actual.dtype)
            throw new TensorMismatchException($"{Label(what)}dtype {actual.dtype}, expected {expected.dtype}");
        using var equal = expected.eq(actual).all();
        if (!equal.item<bool>()) throw new TensorMismatchException($"{Label(what)}values differ: {Differences(expected, actual)}");
    }

    /// <summary>Not bit-for-bit equal (a different shape counts as different).</summary>
    public static void NotEqual(Tensor a, Tensor b, string? what = null)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return;
        using var equal = a.eq(b).all();
        if (equal.item<bool>()) throw new TensorMismatchException($"{Label(what)}the tensors are equal, expected them to differ");
    }

    /// <summary>Same shape and max|actual − expected| ≤ <paramref name="maxAbs"/>.</summary>
    public static void Close(Tensor expected, Tensor actual, double maxAbs, string? what = null)
    {
        SameShape(expected, actual, what);
        var (abs, _) = MaxDifferences(expected, actual);
        if (!(abs <= maxAbs))
            throw new TensorMismatchException($"{Label(what)}{Differences(expected, actual)}, allowed max abs {Format(maxAbs)}");
    }

    /// <summary>Same shape and max|actual − expected| / max|expected| ≤ <paramref name="maxRel"/>.</summary>
    public static void RelativelyClose(Tensor expected, Tensor actual, double maxRel, string? what = null)
    {
        SameShape(expected, actual, what);
        var (_, rel) = MaxDifferences(expected, actual);
        if (!(rel <= maxRel))
            throw new TensorMismatchException($"{Label(what)}{Differences(expected, actual)}, allowed max rel {Format(maxRel)}");
    }

    /// <summary>Same shape and max|a − b| &gt; <paramref name="minAbs"/>: the two are measurably different.</summary>
    public static void Differ(Tensor a, Tensor b, double minAbs, string? what = null)
    {
        SameShape(a, b, what);
        var (abs, _) = MaxDifferences(a, b);
        if (!(abs > minAbs))
            throw new TensorMismatchException($"{Label(what)}{Differences(a, b)}, expected max abs above {Format(minAbs)}");
    }

    static void SameShape(Tensor expected, Tensor actual, string? what)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new TensorMismatchException($"{Label(what)}shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
    }

    static (double Abs, double Rel) MaxDifferences(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64, CPU);
        var a = actual.to(ScalarType.Float64, CPU);
        if (e.NumberOfElements == 0) return (0, 0);
        double abs = (a - e).abs().max().item<double>();
        double scale = e.abs().max().item<double>();
        return (abs, scale == 0 ? (abs == 0 ? 0 : double.PositiveInfinity) : abs / scale);
    }

    static string Differences(Tensor expected, Tensor actual)
    {
        var (abs, rel) = MaxDifferences(expected, actual);
        return $"max abs diff {Format(abs)}, max rel diff {Format(rel)} over [{string.Join(", ", expected.shape)}]";
    }

    static string Format(double value) => value.ToString("E3", CultureInfo.InvariantCulture);

    static string Label(string? what) => what is null ? "" : $"{what}: ";
}
