using Microsoft.Extensions.Options;
using Svi.Inference.Rendering;
using Svi.Server.Hosting;

namespace Svi.Server.Storage;

/// <summary>
/// Where a generation's files live: <c>{DataDirectory}/generations/{id}/</c>, laid out as <see cref="WorkDirectory"/> says.
/// </summary>
public sealed class GenerationFiles(IOptions<SviOptions> options)
{
    public string Root { get; } = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "generations"));

    // Ids reach file paths, so only the shape this server issues is accepted.
    public string Directory(string id) => GenerationIds.IsValid(id)
        ? Path.Combine(Root, id)
        : throw new ArgumentException($"'{id}' is not a generation id.", nameof(id));
    /// <summary>The generation's folder, laid out as <see cref="WorkDirectory"/> says.</summary>
    public WorkDirectory Work(string id) => new(Directory(id));
    public string InputImage(string id) => Work(id).InputImage;
    public string Video(string id) => Work(id).Video;
    public string PartialVideo(string id) => Work(id).PartialVideo;
    public string Thumbnail(string id) => Work(id).Thumbnail;
    public string Spritesheet(string id) => Work(id).Spritesheet;
    /// <summary>An extension's copy of its source's finished state (latents, encoded clips).</summary>
    public string ExtensionSource(string id) => Work(id).Source.Path;

    /// <summary>The generation folders last written before <paramref name="before"/>.</summary>
    public IReadOnlyList<string> FolderIdsOlderThan(DateTime before) => !System.IO.Directory.Exists(Root) ? [] :
        [.. new DirectoryInfo(Root).EnumerateDirectories().Where(d => GenerationIds.IsValid(d.Name) && d.LastWriteTimeUtc < before).Select(d => d.Name)];

    /// <summary>
    /// Removes the generation's folder. The API and a finishing job may both delete it at the same moment, and a job
    /// may still be writing into it: entries vanishing or appearing mid-delete are retried, a vanished folder is done.
    /// </summary>
    public void Delete(string id)
    {
        var dir = Directory(id);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException) { return; }
            catch (IOException) when (attempt < 5) { }
        }
    }
}
