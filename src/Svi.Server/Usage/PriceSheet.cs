namespace Svi.Server.Usage;

/// <summary>
/// The optional <c>Svi:Pricing</c> section that turns metered seconds into a charge-back figure. Rates are per second of
/// video: <see cref="PerSecond"/> by resolution (its exact <c>WxH</c>, else its tier <c>480p</c>/<c>720p</c>), plus
/// <see cref="ModePerSecond"/> by mode (<c>i2v</c>, <c>t2v-fast</c>, <c>t2v-quality</c>). Empty: reports carry no cost.
/// </summary>
public sealed class PriceSheet
{
    public string Currency { get; set; } = "USD";
    public Dictionary<string, decimal> PerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, decimal> ModePerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Configured => PerSecond.Count > 0 || ModePerSecond.Count > 0;

    /// <summary>The cost of <paramref name="seconds"/> of video; null when no price sheet is configured.</summary>
    public decimal? Cost(string resolution, string mode, double seconds)
    {
        if (!Configured) return null;
        decimal rate = (PerSecond.TryGetValue(resolution, out var exact) ? exact : PerSecond.GetValueOrDefault(Tier(resolution)))
            + ModePerSecond.GetValueOrDefault(mode);
        return Math.Round(rate * (decimal)seconds, 4);
    }

    /// <summary><c>832x480</c> → <c>480p</c>: the short side, as resolutions are named in price lists.</summary>
    public static string Tier(string resolution)
    {
        var parts = resolution.Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) ? $"{Math.Min(w, h)}p" : resolution;
    }
}
