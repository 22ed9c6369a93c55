using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Svi.Inference.Runtime;

namespace Svi.Server.Models;

/// <summary>A manifest under models/ is malformed; the message names the manifest and the entry.</summary>
public sealed class ManifestFormatException(string source, string problem) : Exception($"{source}: {problem}");

/// <summary>Where a file comes from on the model hub: {hub}/{Repo}/resolve/{Revision}/{Path}.</summary>
public sealed record ModelSource(string Repo, string Revision, string Path);

/// <param name="Path">relative to the models directory, forward slashes</param>
/// <param name="Size">bytes, or null where no source publishes it (the hub's own size header is then used)</param>
/// <param name="Sha256">lower-case hex, or null where not published (the hub's LFS ETag is then used when it has one)</param>
/// <param name="Architecture">the weight layout verify checks the file against (see <see cref="Architectures"/>)</param>
/// <param name="Optional">not needed by any generation mode; pulled when present on the hub</param>
public sealed record ManifestFile(
    string Path, ModelRole Role, IReadOnlyList<string> Variants, string Format, string Architecture,
    ModelSource Source, long? Size, string? Sha256, string? License, bool Optional = false, string? Provenance = null);

public sealed record ManifestVariant(string Description, string WeightDType);

/// <summary>
/// Every file each variant of a model needs, as plain data (models/*.json, embedded in the assembly).
/// <see cref="Modes"/> maps a generation mode (i2v, t2v-fast, t2v-quality) to the roles it needs; <see cref="Recipes"/>
/// maps a sampling recipe (distilled, reference) to the roles it adds to every mode (its LoRAs, for every resolution).
/// </summary>
public sealed record ModelManifest(
    int Schema, string Model, string Description,
    IReadOnlyDictionary<string, ManifestVariant> Variants, IReadOnlyList<string> Preference,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>> Modes, IReadOnlyList<ManifestFile> Files,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>>? Recipes = null)
{
    /// <summary>The roles <paramref name="mode"/> needs under <paramref name="recipe"/>.</summary>
    public IReadOnlySet<ModelRole> RolesFor(string mode, string recipe) =>
        Modes[mode].Concat(Recipes?.GetValueOrDefault(recipe) ?? []).ToHashSet();

    public const int CurrentSchema = 1;
    public const string ImageToVideo = "i2v", TextToVideoFast = "t2v-fast", TextToVideoQuality = "t2v-quality";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public IEnumerable<ManifestFile> FilesOf(string variant) =>
        Files.Where(f => f.Variants.Contains(variant, StringComparer.Ordinal));

    public static ModelManifest Parse(string json, string source)
    {
        ModelManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<ModelManifest>(json, Json); }
        catch (JsonException e) { throw new ManifestFormatException(source, $"not a valid manifest ({e.Message})"); }
        if (manifest is null) throw new ManifestFormatException(source, "empty manifest");
        manifest.Validate(source);
        return manifest;
    }

    public static ModelManifest Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>The manifests shipped with this build (models/*.json embedded as resources).</summary>
    public static IReadOnlyList<ModelManifest> Embedded()
    {
        var assembly = typeof(ModelManifest).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("manifests/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return Parse(reader.ReadToEnd(), n);
            })
            .ToList();
    }

    /// <summary>The shipped manifest, or the one at <paramref name="path"/> when given.</summary>
    public static ModelManifest Default(string? path = null) =>
        path is not null ? Load(path) : Embedded().FirstOrDefault()
            ?? throw new ManifestFormatException(Assembly.GetEntryAssembly()?.GetName().Name ?? "svi", "no manifest is embedded in this build");

    void Validate(string source)
    {
        if (Schema != CurrentSchema) throw new ManifestFormatException(source, $"schema {Schema} is not supported (expected {CurrentSchema})");
        if (string.IsNullOrWhiteSpace(Model)) throw new ManifestFormatException(source, "'model' is empty");
        if (Variants.Count == 0) throw new ManifestFormatException(source, "no variants");
        foreach (var p in Preference)
            if (!Variants.ContainsKey(p)) throw new ManifestFormatException(source, $"preference names unknown variant '{p}'");
        if (!Modes.ContainsKey(ImageToVideo)) throw new ManifestFormatException(source, $"no '{ImageToVideo}' mode");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in Files)
        {
            string where = $"file '{f.Path}'";
            if (string.IsNullOrWhiteSpace(f.Path) || f.Path.StartsWith('/') || f.Path.Contains('\\') ||
                f.Path.Split('/').Any(s => s is "" or "." or ".."))
                throw new ManifestFormatException(source, $"{where}: path must be relative, with '/' separators and no '.' or '..'");
            if (!seen.Add(f.Path)) throw new ManifestFormatException(source, $"{where}: listed twice");
            if (f.Variants.Count == 0) throw new ManifestFormatException(source, $"{where}: no variants");
            foreach (var v in f.Variants)
                if (!Variants.ContainsKey(v)) throw new ManifestFormatException(source, $"{where}: unknown variant '{v}'");
            if (f.Size is < 0) throw new ManifestFormatException(source, $"{where}: negative size");
            if (f.Sha256 is { } sha && (sha.Length != 64 || !sha.All(Uri.IsHexDigit) || sha.Any(char.IsUpper)))
                throw new ManifestFormatException(source, $"{where}: sha256 must be 64 lower-case hex digits");
            if (!Architectures.IsKnown(f.Architecture))
                throw new ManifestFormatException(source, $"{where}: unknown architecture '{f.Architecture}'");
            if (string.IsNullOrWhiteSpace(f.Source.Repo) || !f.Source.Repo.Contains('/') || string.IsNullOrWhiteSpace(f.Source.Path))
                throw new ManifestFormatException(source, $"{where}: source needs repo 'owner/name' and path");
        }
        foreach (var (variant, _) in Variants)
            foreach (var role in Modes[ImageToVideo].Concat(Recipes?.Values.SelectMany(r => r) ?? []))
                if (!FilesOf(variant).Any(f => f.Role == role && !f.Optional))
                    throw new ManifestFormatException(source, $"variant '{variant}' has no file for role {role}, which {ImageToVideo} needs");
    }
}
