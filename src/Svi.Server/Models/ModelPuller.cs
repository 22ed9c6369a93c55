namespace Svi.Server.Models;

/// <summary>Downloads what a variant lacks, several files at a time, and reports per file.</summary>
public sealed class ModelPuller(ModelInventory inventory, HubDownloader downloader, HubOptions options)
{
    /// <param name="roles">only files of these roles (null: all the variant's files)</param>
    public async Task<PullReport> PullAsync(string variant, IReadOnlySet<Svi.Inference.Runtime.ModelRole>? roles,
        DownloadProgress progress, CancellationToken ct)
    {
        if (!inventory.Manifest.Variants.ContainsKey(variant))
            throw new ArgumentException($"unknown variant '{variant}'; the manifest has {string.Join(", ", inventory.Manifest.Variants.Keys)}");
        var files = inventory.ToPull(inventory.Manifest.FilesOf(variant).Where(f => roles is null || roles.Contains(f.Role)));
        var results = new PullResult[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            async (i, token) => results[i] = await PullOneAsync(files[i], progress, token));
        return new PullReport(variant, results);
    }

    async Task<PullResult> PullOneAsync(ManifestFile file, DownloadProgress progress, CancellationToken ct)
    {
        // Size decides "already present": hashing 30 GB on every pull is what 'verify --sha256' is for. An installed
        // alternative (a ComfyUI models folder's copy) serves the role as well, so nothing is fetched for it.
        if (inventory.Installed(file) is { } copy)
            return new PullResult(file, PullStatus.AlreadyPresent, copy.Location == file.Location ? "" : $"as {copy.Location}");
        try
        {
            var outcome = await downloader.DownloadAsync(file, inventory.FullPath(file), progress, ct);
            string check = outcome.ChecksumSource == "none" ? "size checked, no published sha256" : $"sha256 checked ({outcome.ChecksumSource})";
            return new PullResult(file, PullStatus.Downloaded, $"{ConsoleProgressBar.Bytes(outcome.Bytes)}, {check}");
        }
        catch (HubFileNotFoundException) when (file.Optional)
        {
            return new PullResult(file, PullStatus.SkippedOptional, "not on the hub (optional)");
        }
        catch (ModelDownloadException e)
        {
            return new PullResult(file, PullStatus.Failed, e.Message[(e.FilePath.Length + 2)..]);
        }
    }
}
