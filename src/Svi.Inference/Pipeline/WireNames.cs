namespace Svi.Inference.Pipeline;

/// <summary>
/// The names an enum's values go by in requests, stored specs and the model manifest, both ways, from one table; the
/// table's order is the order <see cref="Names"/> lists them in.
/// </summary>
public sealed class WireNames<TEnum> where TEnum : struct, Enum
{
    readonly (TEnum Value, string Name)[] table;

    public WireNames(params (TEnum Value, string Name)[] table)
    {
        this.table = table;
        Names = [.. table.Select(entry => entry.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    public string Name(TEnum value)
    {
        foreach (var entry in table)
            if (EqualityComparer<TEnum>.Default.Equals(entry.Value, value)) return entry.Name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"no {typeof(TEnum).Name} name");
    }

    public bool TryParse(string? text, out TEnum value)
    {
        foreach (var entry in table)
            if (entry.Name == text)
            {
                value = entry.Value;
                return true;
            }
        value = default;
        return false;
    }
}
