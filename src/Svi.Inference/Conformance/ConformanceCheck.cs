namespace Svi.Inference.Conformance;

/// <param name="MaxAbsErr">max |ours − ref|</param>
/// <param name="MaxRelErr">‖ours − ref‖₂ / ‖ref‖₂ (the golden sets' metric)</param>
public sealed record ConformanceCheck(string Name, double MaxAbsErr, double MaxRelErr, bool Passed, string? Detail = null);
