using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Server.Models;

/// <summary>
/// Every file each variant of a model needs, as plain data (models/*.json, embedded in the assembly), and the only
/// record of which roles a generation needs (<see cref="RolesFor"/>): <see cref="Modes"/> maps a generation mode (i2v,
/// t2v-fast, t2v-quality) to its roles, <see cref="Recipes"/> a sampling recipe (distilled, reference) to the roles it
/// adds, <see cref="OnlyAtResolution"/> names the roles of those lists needed at one resolution only (480p, 720p), and
/// <see cref="FrameRates"/> the roles an output frame rate adds (32: the interpolation model).
/// </summary>
public sealed record ModelManifest(
    int Schema, string Model, string Description,
    IReadOnlyDictionary<string, ManifestVariant> Variants, IReadOnlyList<string> Preference,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>> Modes, IReadOnlyList<ManifestFile> Files,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>>? Recipes = null,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>>? OnlyAtResolution = null,
    IReadOnlyDictionary<string, IReadOnlyList<ModelRole>>? FrameRates = null)
{
    /// <summary>The roles a generation of <paramref name="choice"/> needs; null when this model has no such mode.</summary>
    public IReadOnlySet<ModelRole>? RolesFor(SviModelChoice choice)
    {
        if (!Modes.TryGetValue(choice.Mode.Name(), out var modeRoles)) return null;
        string resolution = ResolutionOf(choice);
        var elsewhere = (OnlyAtResolution ?? new Dictionary<string, IReadOnlyList<ModelRole>>())
            .Where(r => r.Key != resolution).SelectMany(r => r.Value).ToHashSet();
        return modeRoles.Concat(Recipes?.GetValueOrDefault(choice.Recipe.Name()) ?? [])
            .Where(role => !elsewhere.Contains(role))
            .Concat(FrameRates?.GetValueOrDefault(choice.Interpolates ? "32" : "16") ?? [])
            .ToHashSet();
    }

    /// <summary>How <see cref="OnlyAtResolution"/> names a choice's resolution.</summary>
    public static string ResolutionOf(SviModelChoice choice) => choice.Hd ? "720p" : "480p";

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
        var containers = Files.Where(f => f.Format == "safetensors").Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var f in Files.SelectMany(f => f.Copies()))
        {
            string where = $"file '{f.Location}'";
            if (f.Tensor is not null && !containers.Contains(f.Path))
                throw new ManifestFormatException(source, $"{where}: a tensor copy must name a safetensors file the manifest lists");
            if (string.IsNullOrWhiteSpace(f.Path) || f.Path.StartsWith('/') || f.Path.Contains('\\') ||
                f.Path.Split('/').Any(s => s is "" or "." or ".."))
                throw new ManifestFormatException(source, $"{where}: path must be relative, with '/' separators and no '.' or '..'");
            if (!seen.Add(f.Location)) throw new ManifestFormatException(source, $"{where}: listed twice");
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
            // A branch moves: a file it names can vanish (Kijai/WanVideo_comfy deleted a 720p LoRA a manifest named at main).
            if (f.Source.Revision is { } revision && !ModelSource.IsCommit(revision))
                throw new ManifestFormatException(source, $"{where}: revision '{revision}' is not a 40-hex commit id (pin a commit, or null where none is known)");
        }
        var listed = Modes.Values.Concat(Recipes?.Values ?? []).SelectMany(r => r).ToHashSet();
        foreach (var (resolution, roles) in OnlyAtResolution ?? new Dictionary<string, IReadOnlyList<ModelRole>>())
            foreach (var role in roles.Where(r => !listed.Contains(r)))
                throw new ManifestFormatException(source, $"onlyAtResolution '{resolution}' names {role}, which no mode or recipe lists");
        foreach (var (variant, _) in Variants)
            foreach (var role in Modes[ImageToVideo].Concat(Recipes?.Values.SelectMany(r => r) ?? []))
                if (!FilesOf(variant).Any(f => f.Role == role && !f.Optional))
                    throw new ManifestFormatException(source, $"variant '{variant}' has no file for role {role}, which {ImageToVideo} needs");
    }
}
