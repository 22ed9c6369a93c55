namespace Svi.Inference.Conformance;

/// <summary>What a conformance run found, check by check, in the order they ran.</summary>
public sealed class ConformanceReport(double tolerance)
{
    readonly List<ConformanceCheck> checks = [];

    public double Tolerance { get; } = tolerance;
    public IReadOnlyList<ConformanceCheck> Checks => checks;
    public bool Passed => checks.Count > 0 && checks.All(c => c.Passed);
    public ConformanceCheck? FirstFailure => checks.FirstOrDefault(c => !c.Passed);

    /// <summary>Compares two tensors of the same shape by relative L2 error against the tolerance.</summary>
    public ConformanceCheck Compare(string name, Tensor ours, Tensor reference)
    {
        using var scope = NewDisposeScope();
        if (!ours.shape.SequenceEqual(reference.shape))
            return Add(new ConformanceCheck(name, double.NaN, double.NaN, false,
                $"shape [{string.Join(',', ours.shape)}] but the reference has [{string.Join(',', reference.shape)}]"));
        var a = ours.to(ScalarType.Float64);
        var b = reference.to(ScalarType.Float64);
        var difference = a - b;
        double maxAbs = difference.abs().max().item<double>();
        double norm = b.norm().item<double>();
        double rel = norm == 0 ? difference.norm().item<double>() : difference.norm().item<double>() / norm;
        return Add(new ConformanceCheck(name, maxAbs, rel, rel <= Tolerance && !double.IsNaN(rel)));
    }

    /// <summary>A check that is exact (counts, ids, pixel levels): passes or fails as stated.</summary>
    public ConformanceCheck Exact(string name, bool passed, string detail, double maxAbsErr = 0)
        => Add(new ConformanceCheck(name, maxAbsErr, 0, passed, detail));

    public ConformanceCheck Add(ConformanceCheck check)
    {
        checks.Add(check);
        return check;
    }

    public void WriteTo(TextWriter writer)
    {
        int width = Math.Max(10, checks.Count == 0 ? 0 : checks.Max(c => c.Name.Length));
        writer.WriteLine($"{"check".PadRight(width)}  {"max_abs_err",12}  {"max_rel_err",12}  result");
        foreach (var c in checks)
            writer.WriteLine($"{c.Name.PadRight(width)}  {c.MaxAbsErr,12:E3}  {c.MaxRelErr,12:E3}  {(c.Passed ? "ok" : "FAIL")}" +
                             (c.Detail is null ? "" : $"  {c.Detail}"));
        var failure = FirstFailure;
        writer.WriteLine(Passed
            ? $"PASS: {checks.Count} checks within tolerance {Tolerance:G3}"
            : failure is null ? "FAIL: nothing was checked" : $"FAIL: first divergence at '{failure.Name}' (tolerance {Tolerance:G3})");
    }
}
