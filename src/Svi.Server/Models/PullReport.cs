namespace Svi.Server.Models;

public sealed record PullReport(string Variant, IReadOnlyList<PullResult> Results)
{
    public bool Succeeded => Results.All(r => r.Status != PullStatus.Failed);
    public IEnumerable<PullResult> Failed => Results.Where(r => r.Status == PullStatus.Failed);

    public void WriteTo(TextWriter output)
    {
        foreach (var group in Results.GroupBy(r => r.Status).OrderBy(g => g.Key))
        {
            output.WriteLine($"{group.Key} ({group.Count()}):");
            foreach (var r in group) output.WriteLine($"  {r.File.Path}{(r.Detail.Length > 0 ? "  " + r.Detail : "")}");
        }
        output.WriteLine(Succeeded
            ? $"Variant {Variant}: every file is in place."
            : $"Variant {Variant}: {Failed.Count()} file(s) missing. Fix the cause above and run the same command again; " +
              "finished files are kept and partial ones resume.");
    }
}
