using Svi.Server.Storage;

namespace Svi.Server.Usage;

/// <summary>
/// How a key appears in a report: its label from <c>Svi:KeyLabels</c>, else <c>key:</c> and the first 12 hex digits of
/// its SHA-256 (the same digest owns its generations). The key itself is never shown.
/// </summary>
public sealed class KeyNames(IReadOnlyDictionary<string, string> labelsByName)
{
    private readonly Dictionary<string, string> labels = labelsByName.ToDictionary(l => KeyOwner.Of(l.Value), l => l.Key);

    public string For(string owner) =>
        labels.TryGetValue(owner, out var label) ? label
        : owner.Length == 0 ? "(no key: open API)"
        : owner[..Math.Min(owner.Length, "key:".Length + 12)];
}
