using Microsoft.Extensions.Options;
using Svi.Server.Hosting;

namespace Svi.Server.Storage;

/// <summary>
/// Where a generation's files live: <c>{DataDirectory}/generations/{id}/</c> holding <c>input.png</c> (the
/// normalised anchor image), and what the renderer writes there (<c>video.mp4</c>, <c>partial.mp4</c>,
/// <c>thumbnail.jpg</c>, resume state).
/// </summary>
public sealed class GenerationFiles(IOptions<SviOptions> options)
{
    public string Root { get; } = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "generations"));

    // Ids reach file paths, so only the shape this server issues is accepted.
    public string Directory(string id) => GenerationIds.IsValid(id)
        ? Path.Combine(Root, id)
        : throw new ArgumentException($"'{id}' is not a generation id.", nameof(id));
    public string InputImage(string id) => Path.Combine(Directory(id), "input.png");
    public string Video(string id) => Path.Combine(Directory(id), "video.mp4");
    public string PartialVideo(string id) => Path.Combine(Directory(id), "partial.mp4");
    public string Thumbnail(string id) => Path.Combine(Directory(id), "thumbnail.jpg");
    /// <summary>A preview grid of evenly spaced frames, made on first request.</summary>
    public string Spritesheet(string id) => Path.Combine(Directory(id), "spritesheet.jpg");
    /// <summary>An extension's copy of its source's finished state (latents, encoded clips).</summary>
    public string ExtensionSource(string id) => Path.Combine(Directory(id), "source");

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
