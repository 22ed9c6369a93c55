using Svi.Inference.Interpolation;

namespace Svi.Testing;

/// <summary>
/// TEST DOUBLE of the weights inventory, the only one: every role installed (fake paths, or the given files; the
/// interpolation role is the linear-blend stand-in graph, not RIFE) less the <paramref name="missing"/> roles, or
/// nothing at all while <see cref="Installed"/> is false. Which roles a generation needs is the shipped manifest's
/// answer, which the server tests hand over once (<see cref="ManifestRoles"/>): this project cannot read the manifest.
/// </summary>
public sealed class FixedModelInventory(ModelFiles? installed, params ModelRole[] missing) : IModelInventory
{
    public const string Model = "svi-2-0-pro";

    public FixedModelInventory(params ModelRole[] missing) : this(null, missing) { }

    /// <summary>The shipped manifest's <c>RolesFor</c>; set by the server tests' module initializer.</summary>
    public static Func<SviModelChoice, IReadOnlySet<ModelRole>?>? ManifestRoles { get; set; }

    volatile bool installedNow = true;
    int checks;

    /// <summary>False takes every weight away (a test of a deployment without weights).</summary>
    public bool Installed { get => installedNow; set => installedNow = value; }

    /// <summary>How often <see cref="Check"/> was asked.</summary>
    public int Checks => Volatile.Read(ref checks);

    public IReadOnlySet<ModelRole>? RolesFor(SviModelChoice choice) =>
        (ManifestRoles ?? throw new InvalidOperationException("FixedModelInventory.ManifestRoles is not set: only the server tests know the manifest"))(choice);

    public ModelAvailability Check()
    {
        Interlocked.Increment(ref checks);
        if (!Installed) return new(Model, null, null, false, false, false, [$"{Model}/{ModelRole.DitHigh}.safetensors"], "Run ./svi models pull.");
        var files = Enum.GetValues<ModelRole>().Where(r => !missing.Contains(r))
            .ToDictionary(r => r, r => installed?.Get(r) is { Count: > 0 } paths ? paths
                : r == ModelRole.Interpolation ? [LinearBlendRifeGraph.Address] : (IReadOnlyList<string>)[$"/models/{r}.safetensors"]);
        bool Has(params ModelRole[] roles) => roles.All(files.ContainsKey);
        bool i2v = Has(ModelRole.DitHigh, ModelRole.DitLow, ModelRole.LoraHigh, ModelRole.LoraLow, ModelRole.Vae,
            ModelRole.TextEncoder, ModelRole.Tokenizer);
        return new ModelAvailability(Model, "test", new ModelFiles("test", files),
            i2v, i2v && Has(ModelRole.T2vDitHigh, ModelRole.T2vDitLow, ModelRole.T2vDistillLoraHigh, ModelRole.T2vDistillLoraLow),
            i2v && Has(ModelRole.T2vDitHigh, ModelRole.T2vDitLow),
            missing.Select(r => $"{Model}/{r}.safetensors").ToList(), "Run ./svi models pull.");
    }
}
