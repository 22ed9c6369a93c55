namespace Svi.Inference.Weights;

/// <summary>The updates of one LoRA file, in CPU memory with the file's dtype.</summary>
public sealed class LoraSet(string path, IReadOnlyList<LoraPatch> patches, IReadOnlyList<LoraDiff> diffs) : IDisposable
{
    public string Path { get; } = path;
    public IReadOnlyList<LoraPatch> Patches { get; } = patches;
    public IReadOnlyList<LoraDiff> Diffs { get; } = diffs;

    /// <summary>The file's keys as <see cref="LoraKeys.Parse"/> read them (a loaded set has no problems left).</summary>
    public LoraKeySet Keys => new([.. Patches.Select(p => p.Keys)], [.. Diffs.Select(d => d.Keys)], []);

    public void Dispose()
    {
        foreach (var p in Patches) { p.Down.Dispose(); p.Up.Dispose(); }
        foreach (var d in Diffs) d.Delta.Dispose();
    }
}
