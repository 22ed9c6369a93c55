using System.CommandLine;
using Svi.Server.Models;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi models check --remote</c>: whether the hub still has every file the manifest pins, with the listed size
/// and sha256, asked with HEAD requests only. One line per file; those that moved or vanished are named first.
/// </summary>
public static class ModelsCheckCommand
{
    internal static Command Create(ModelsCommand.Common common)
    {
        var remote = new Option<bool>("--remote")
        {
            Description = "Ask the model hub (HEAD requests, no download) whether each pinned file still exists with the same size and sha256.",
        };
        var variant = new Option<string?>("--variant") { Description = "Check only the files of this variant (fp8, bf16, fp16). Default: every file." };
        var hub = new Option<string?>("--hub-url")
        {
            Description = "Model hub base URL. Default: Svi:ModelHub:BaseUrl, https://huggingface.co. The token comes from env HF_TOKEN.",
        };
        var command = new Command("check",
            "Check the manifest against the hub: each file (alternatives too) at its pinned revision, its size and sha256. " +
            "Exits 1 when a file moved or vanished. Installed files are checked by 'verify'.")
        {
            common.ModelsDir, common.Manifest, remote, variant, hub,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(remote))
            {
                Console.Error.WriteLine("error: 'models check' asks the hub: pass --remote (installed files are checked by './svi models verify').");
                return 2;
            }
            var configuration = ModelsCommand.Configuration();
            var manifest = ModelsCommand.Inventory(parse, common, configuration).Manifest;
            var options = new HubOptions();
            configuration.GetSection(HubOptions.Section).Bind(options);
            if (parse.GetValue(hub) is { } url) options.BaseUrl = url;
            if (options.Validate() is { Count: > 0 } errors)
            {
                foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
                return 2;
            }
            var files = parse.GetValue(variant) is { } only ? manifest.FilesOf(only).ToList() : manifest.Files.ToList();
            if (files.Count == 0)
            {
                Console.Error.WriteLine($"error: no files for variant '{parse.GetValue(variant)}' (choose {string.Join(", ", manifest.Variants.Keys)})");
                return 2;
            }
            using var http = HubDownloader.CreateClient(options);
            var states = await new RemoteManifestCheck(new HubDownloader(http, options), options).CheckAsync(files, ct);
            Write(states, options.BaseUrl);
            return states.Any(s => s.Broken) ? 1 : 0;
        });
        return command;
    }

    static void Write(IReadOnlyList<RemoteFileState> states, string hub)
    {
        Console.WriteLine($"{states.Count} published files asked of {hub} (HEAD only):");
        Console.WriteLine($"  {"STATUS",-11} {"ROLE",-18} {"REVISION",-8}  FILE  —  DETAIL");
        foreach (var s in states.OrderByDescending(s => s.Broken).ThenBy(s => s.Status))
        {
            var source = s.File.Source;
            string revision = source.Revision is { } r ? r[..8] : "unpinned";
            string resolved = !source.Pinned && s.Commit is { } c ? $"; {ModelSource.DefaultBranch} is now {c}" : "";
            Console.WriteLine($"  {Label(s.Status),-11} {s.File.Role,-18} {revision,-8}  {source.Repo}/{source.Path}  —  {s.Detail}{resolved}");
        }
        var counts = states.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Label(g.Key).ToLowerInvariant()}");
        Console.WriteLine(string.Join(", ", counts) + ".");
    }

    static string Label(RemoteStatus status) => status switch
    {
        RemoteStatus.Moved => "MOVED",
        RemoteStatus.Vanished => "VANISHED",
        RemoteStatus.Denied => "denied",
        RemoteStatus.Unreachable => "unreachable",
        RemoteStatus.Unverified => "unverified",
        _ => "same",
    };
}
