using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Inference.Text;

namespace Svi.Server.Models;

/// <summary>
/// What of a manifest is installed under the models directory. A variant is installed for a generation when every
/// file of that variant whose role the generation needs (<see cref="ModelManifest.RolesFor"/>) is present (with the
/// manifest's size where known; of a role whose files are all optional, one). The variant used is the configured one,
/// else the first whose image-to-video base files are complete, in the manifest's preference order. The modes reported
/// are those the deployment's default request can run: its <paramref name="recipe"/> at its default resolution
/// (<paramref name="hd"/>) at 16 fps; the recipe's LoRAs gate readiness like the experts do, so a job never fails after
/// loading half its models.
/// </summary>
public sealed class ModelInventory(ModelManifest manifest, string modelsDirectory, string? preferredVariant = null,
    string recipe = "distilled", bool hd = false) : IModelInventory
{
    /// <summary>The recipe whose files decide the modes reported.</summary>
    public string Recipe { get; } = recipe;

    public ModelManifest Manifest { get; } = manifest;
    public string ModelsDirectory { get; } = Path.GetFullPath(modelsDirectory);

    /// <summary>Where <paramref name="file"/> (this very copy: the primary, or an alternative from <see cref="ManifestFile.Copies"/>) lives.</summary>
    public string FullPath(ManifestFile file) => Path.Combine(ModelsDirectory, file.Path.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The installed copy of <paramref name="file"/> (itself or an alternative, with the size listed for it), or null.</summary>
    public ManifestFile? Installed(ManifestFile file) => file.Copies().FirstOrDefault(IsCopyPresent);

    /// <summary>Some copy of <paramref name="file"/> is installed.</summary>
    public bool IsPresent(ManifestFile file) => Installed(file) is not null;

    bool IsCopyPresent(ManifestFile copy)
    {
        if (copy.Tensor is { } tensor)
            return EmbeddedSentencePiece.Find(FullPath(copy), tensor) is { } entry && (copy.Size is null || entry.ByteLength == copy.Size);
        var info = new FileInfo(FullPath(copy));
        return info.Exists && (copy.Size is null || info.Length == copy.Size);
    }

    public IReadOnlySet<ModelRole>? RolesFor(SviModelChoice choice) => Manifest.RolesFor(choice);

    /// <summary>The deployment's default request in <paramref name="mode"/> (a manifest mode name), under a recipe
    /// (default: the deployment's; "reference" adds nothing to the mode's base roles).</summary>
    public SviModelChoice DefaultChoice(string mode, string? recipe = null) =>
        new(Manifest.Modes.ContainsKey(mode) ? ModeNamed(mode) : SviMode.ImageToVideo, SviRecipes.Parse(recipe ?? Recipe), hd);

    /// <summary>Files of <paramref name="variant"/> that the deployment's default request in <paramref name="mode"/>
    /// needs and that are not installed.</summary>
    public IReadOnlyList<ManifestFile> MissingFor(string variant, string mode, string? recipe = null) =>
        MissingFor(variant, DefaultChoice(mode, recipe));

    /// <summary>Files of <paramref name="variant"/> that <paramref name="choice"/> needs and that are not installed.</summary>
    public IReadOnlyList<ManifestFile> MissingFor(string variant, SviModelChoice choice)
    {
        var roles = Manifest.RolesFor(choice) ?? new HashSet<ModelRole>();
        var files = Manifest.FilesOf(variant).Where(f => roles.Contains(f.Role)).ToList();
        return files.GroupBy(f => f.Role).SelectMany(role => role.All(f => f.Optional)
            ? role.Any(IsPresent) ? [] : role
            : role.Where(f => !f.Optional && !IsPresent(f))).ToList();
    }

    /// <summary>
    /// Of <paramref name="files"/>, those a pull considers: a role's optional side files (the tokenizer's JSON configs)
    /// belong with its listed files, so they are left out where every required file of the role is served by an
    /// alternative (a ComfyUI folder's text encoder embedding the tokenizer).
    /// </summary>
    public IReadOnlyList<ManifestFile> ToPull(IEnumerable<ManifestFile> files)
    {
        var list = files.ToList();
        var servedElsewhere = list.Where(f => !f.Optional).GroupBy(f => f.Role)
            .Where(role => role.All(f => Installed(f) is { } copy && copy.Location != f.Location))
            .Select(role => role.Key).ToHashSet();
        return list.Where(f => !(f.Optional && servedElsewhere.Contains(f.Role))).ToList();
    }

    static SviMode ModeNamed(string mode) => Enum.GetValues<SviMode>().Single(m => m.Name() == mode);

    /// <summary>The same file serves every variant, so any installed copy will do, whichever variant is complete.</summary>
    public string? InterpolationModel() =>
        Manifest.Files.Where(f => f.Role == ModelRole.Interpolation).Select(Installed).OfType<ManifestFile>().Select(FullPath).FirstOrDefault();

    public ModelAvailability Check()
    {
        var candidates = preferredVariant is { } p && p != "auto" ? [p] : Manifest.Preference.Count > 0 ? Manifest.Preference : Manifest.Variants.Keys.ToList();
        string? installed = candidates.FirstOrDefault(v => MissingFor(v, ModelManifest.ImageToVideo).Count == 0)
            ?? candidates.FirstOrDefault(v => MissingFor(v, ModelManifest.ImageToVideo, "reference").Count == 0);
        if (installed is null)
        {
            // Report against the variant that is closest to complete, so the hint asks for the fewest bytes.
            string nearest = candidates.MinBy(v => MissingFor(v, ModelManifest.ImageToVideo).Count)!;
            var missing = MissingFor(nearest, ModelManifest.ImageToVideo);
            return new ModelAvailability(Manifest.Model, null, null, false, false, false,
                missing.Select(f => f.Path).ToList(),
                $"{missing.Count} file(s) of the {nearest} variant are missing under {ModelsDirectory}: run " +
                $"'./svi models pull --variant {nearest}' (or set Svi:ModelsDirectory to where the weights are).");
        }
        var files = Resolve(installed);
        var missingI2v = MissingFor(installed, ModelManifest.ImageToVideo);
        if (missingI2v.Count > 0)
            return new ModelAvailability(Manifest.Model, installed, files, false, false, false, missingI2v.Select(f => f.Path).ToList(),
                $"The {Recipe} recipe needs {missingI2v.Count} more file(s) of the {installed} variant under {ModelsDirectory}: run " +
                $"'./svi models pull --variant {installed}' (or set Svi:Inference:Recipe=reference, which needs none of them).");
        bool t2vQuality = Manifest.Modes.ContainsKey(ModelManifest.TextToVideoQuality) && MissingFor(installed, ModelManifest.TextToVideoQuality).Count == 0;
        bool t2vFast = Manifest.Modes.ContainsKey(ModelManifest.TextToVideoFast) && MissingFor(installed, ModelManifest.TextToVideoFast).Count == 0;
        string hint = t2vQuality && t2vFast ? "Every generation mode is installed."
            : $"Image-to-video is installed ({installed}). For text-to-video run './svi models pull --variant {installed} --t2v'.";
        return new ModelAvailability(Manifest.Model, installed, files, true, t2vFast, t2vQuality, [], hint);
    }

    /// <summary>
    /// Role → absolute paths of the installed weight files of a variant, in manifest order: the shards of a sharded
    /// expert in shard order; JSON side files (index, config, tokenizer config) are left out, so the tokenizer role is
    /// just <c>spiece.model</c>. Where an alternative is installed instead of the listed file, its path is given: for a
    /// tensor copy, the file holding it, with the tensor's name in <see cref="ModelFiles.Embedded"/> (the tokenizer role
    /// then names the text encoder's safetensors, which <c>Umt5Tokenizer.Load</c> reads that tensor from).
    /// </summary>
    public ModelFiles Resolve(string variant)
    {
        var installed = Manifest.FilesOf(variant)
            .Where(f => f.Format != "json")
            .Select(Installed).OfType<ManifestFile>()
            .ToList();
        var byRole = installed.GroupBy(f => f.Role)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(FullPath).ToList());
        var embedded = installed.Where(f => f.Tensor is not null).ToDictionary(FullPath, f => f.Tensor!);
        return new ModelFiles(variant, byRole, Embedded: embedded);
    }
}
