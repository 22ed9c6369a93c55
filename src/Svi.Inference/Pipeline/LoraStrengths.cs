using System.Globalization;
using System.Text.Json;
using Svi.Inference.Runtime;

namespace Svi.Inference.Pipeline;

/// <summary>
/// The strength each LoRA of a generation merges into its expert at (W + strength·B·A), by the role the model manifest
/// gives the LoRA's file. On the wire (requests, the stored spec, <c>--lora-strength</c>) a role goes by its manifest name
/// in the API's snake_case: the manifest's <c>LoraHigh</c> is <c>lora_high</c>, <c>DistillLoraHigh</c> is
/// <c>distill_lora_high</c>. Two sets are equal when they hold the same strengths for the same roles.
/// </summary>
public sealed record LoraStrengths
{
    /// <summary>
    /// The LoRAs a request may set: the SVI 2.0 Pro pair and the distilled recipe's LightX2V pair. The Lightning LoRAs of
    /// the fast text-to-video anchor frame are made to run at full strength and stay out.
    /// </summary>
    public static readonly IReadOnlyList<ModelRole> Roles =
        [ModelRole.LoraHigh, ModelRole.LoraLow, ModelRole.DistillLoraHigh, ModelRole.DistillLoraLow];

    /// <summary>
    /// The strengths a request may ask for. ComfyUI's LoRA loaders accept any number (±100, negative too); the public SVI
    /// 2.0 Pro workflows run the SVI LoRAs at 1.0 and LightX2V at 0.5–1.0 (Kijai's and the authors'), and community Wan 2.2
    /// workflows push LightX2V on the high-noise expert to about 3. 0–4 holds all of those; beyond it the merge swamps
    /// the expert's own weights. The deployment's own strengths (<c>Svi:Inference:LoraHighStrength</c>, …) keep the same range.
    /// </summary>
    public const double Min = 0, Max = 4;

    static readonly WireNames<ModelRole> Wire =
        new([.. Roles.Select(role => (role, JsonNamingPolicy.SnakeCaseLower.ConvertName(role.ToString())))]);

    readonly SortedDictionary<ModelRole, double> byRole;

    public LoraStrengths(IEnumerable<KeyValuePair<ModelRole, double>> strengths)
    {
        byRole = new SortedDictionary<ModelRole, double>(strengths.ToDictionary());
        foreach (var role in byRole.Keys)
            if (!Roles.Contains(role)) throw new ArgumentException($"{role} is not a LoRA role a request may set", nameof(strengths));
    }

    /// <summary>The wire names, in <see cref="Roles"/>' order.</summary>
    public static IReadOnlyList<string> Names => Wire.Names;

    public static string Name(ModelRole role) => Wire.Name(role);

    public static bool TryParse(string? name, out ModelRole role) => Wire.TryParse(name, out role);

    public static bool Allowed(double strength) => strength is >= Min and <= Max;

    public IReadOnlyDictionary<ModelRole, double> ByRole => byRole;

    public double? Get(ModelRole role) => byRole.TryGetValue(role, out var strength) ? strength : null;

    /// <summary>These strengths with each of <paramref name="overrides"/>' in place of this set's.</summary>
    public LoraStrengths With(LoraStrengths? overrides) => overrides is null ? this
        : new(byRole.Where(kv => overrides.Get(kv.Key) is null).Concat(overrides.byRole));

    /// <summary>By wire name, as the stored spec, the native response and <c>--dry-run</c> show them.</summary>
    public IReadOnlyDictionary<string, double> ByName() => byRole.ToDictionary(kv => Name(kv.Key), kv => kv.Value);

    public static LoraStrengths FromNames(IReadOnlyDictionary<string, double> byName) => new(byName.Select(kv =>
        TryParse(kv.Key, out var role) ? KeyValuePair.Create(role, kv.Value)
            : throw new ArgumentException($"'{kv.Key}' is not a LoRA role (expected one of {string.Join(", ", Names)})", nameof(byName))));

    /// <summary>Each strength that differs between two sets, as "lora_high 1 → 0.8" (null: the deployment's).</summary>
    public static string Changes(LoraStrengths? before, LoraStrengths? after)
    {
        static string Show(double? strength) => strength?.ToString(CultureInfo.InvariantCulture) ?? "the deployment's";
        return string.Join(", ", Roles
            .Where(role => before?.Get(role) != after?.Get(role))
            .Select(role => $"{Name(role)} {Show(before?.Get(role))} → {Show(after?.Get(role))}"));
    }

    public bool Equals(LoraStrengths? other) => other is not null && byRole.SequenceEqual(other.byRole);

    public override int GetHashCode() => byRole.Aggregate(0, (hash, kv) => HashCode.Combine(hash, kv.Key, kv.Value));

    public override string ToString() =>
        string.Join(", ", byRole.Select(kv => $"{Name(kv.Key)} {kv.Value.ToString(CultureInfo.InvariantCulture)}"));
}
