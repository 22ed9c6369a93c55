using System.CommandLine;
using Svi.Inference.Runtime;
using Svi.Server.Models;

namespace Svi.Server.Cli;

/// <summary><c>./svi models list | pull | verify | check</c>: what is installed, fetching what is not, checking what is,
/// and whether the hub still has what the manifest pins.</summary>
public static class ModelsCommand
{
    internal sealed record Common(Option<string?> ModelsDir, Option<string?> Manifest);

    public static Command Create()
    {
        var common = new Common(
            new Option<string?>("--models-dir")
            {
                Description = "Where the weights live. Default: Svi:ModelsDirectory (env Svi__ModelsDirectory), else ./models.",
            },
            new Option<string?>("--manifest")
            {
                Description = "A manifest JSON to use instead of the one built into svi (models/*.json in the repository).",
            });
        var command = new Command("models", "List, download and verify model weights.");
        command.Subcommands.Add(List(common));
        command.Subcommands.Add(Pull(common));
        command.Subcommands.Add(Verify(common));
        command.Subcommands.Add(ModelsCheckCommand.Create(common));
        return command;
    }

    internal static IConfiguration Configuration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    internal static ModelInventory Inventory(ParseResult parse, Common common, IConfiguration configuration)
    {
        var manifest = ModelManifest.Default(parse.GetValue(common.Manifest) ?? configuration[ModelInventoryRegistration.ManifestKey]);
        string dir = parse.GetValue(common.ModelsDir) is { } d ? Path.GetFullPath(d) : ModelsDirectory.Resolve(configuration);
        return new ModelInventory(manifest, dir, configuration[$"{InferenceOptions.Section}:Variant"],
            configuration[$"{InferenceOptions.Section}:Recipe"] ?? new InferenceOptions().Recipe, ModelInventoryRegistration.DefaultIsHd(configuration));
    }

    static Option<string?> VariantOption(string description) => new("--variant") { Description = description };

    static Command List(Common common)
    {
        var variant = VariantOption("Show only this variant (fp8, bf16, fp16).");
        var command = new Command("list", "Show every file of each variant, whether it is installed (and which file was found for " +
                                          "its role: the listed one or an alternative such as Kijai's repackaged file in a ComfyUI " +
                                          "models folder), its licence, and which generation modes can run.")
        {
            common.ModelsDir, common.Manifest, variant,
        };
        command.SetAction(parse =>
        {
            var inventory = Inventory(parse, common, Configuration());
            var manifest = inventory.Manifest;
            Console.WriteLine($"{manifest.Model}  (models directory: {inventory.ModelsDirectory})");
            foreach (var (name, info) in manifest.Variants.Where(v => parse.GetValue(variant) is not { } only || v.Key == only))
            {
                var files = manifest.FilesOf(name).ToList();
                long known = files.Sum(f => f.Size ?? 0);
                Console.WriteLine();
                Console.WriteLine($"variant {name}: {info.Description}  (listed sizes: {ConsoleProgressBar.Bytes(known)}" +
                                  $"{(files.Any(f => f.Size is null) ? ", some unknown" : "")})");
                foreach (var f in files)
                {
                    var found = inventory.Installed(f);
                    string state = found is not null ? "installed" : File.Exists(inventory.FullPath(f)) ? "WRONG SIZE" : f.Optional ? "optional" : "missing";
                    var shown = found ?? f;
                    string alternatives = found is null && f.Alternatives is { Count: > 0 } ? $"  (or {string.Join(", ", f.Copies().Skip(1).Select(a => a.Location))})" : "";
                    Console.WriteLine($"  {state,-10} {f.Role,-18} {(shown.Size is { } s ? ConsoleProgressBar.Bytes(s) : "size ?"),10}  " +
                                      $"{shown.License ?? "licence ?",-12} {shown.Location}{(found is not null && found.Location != f.Location ? $"  (alternative to {f.Path})" : "")}{alternatives}");
                }
                foreach (var mode in manifest.Modes.Keys)
                    Console.WriteLine($"  mode {mode,-12} {(inventory.MissingFor(name, mode).Count is var n && n == 0 ? "available" : $"{n} file(s) missing")}");
            }
            var availability = inventory.Check();
            Console.WriteLine();
            Console.WriteLine(availability.Variant is null ? $"Not ready: {availability.Hint}" : $"Using variant {availability.Variant}. {availability.Hint}");
            return 0;
        });
        return command;
    }

    static Command Pull(Common common)
    {
        var variant = VariantOption("Which weights to fetch: fp8 (Comfy-Org scaled FP8, ~36 GB for image-to-video), bf16 (official " +
                                    "Wan-AI shards, the reference), or fp16. Default: fp8.");
        var t2v = new Option<bool>("--t2v") { Description = "Also fetch the Wan2.2 T2V-A14B experts and their Lightning distill LoRAs (text-to-video: the first clip)." };
        var recipe = new Option<string?>("--recipe")
        {
            Description = "Fetch the LoRAs of this recipe: distilled (the LightX2V distill LoRAs: HIGH v1030 and the 480p LOW, used at every resolution) or reference (none). " +
                          "Default: Svi:Inference:Recipe (distilled).",
        };
        var interpolation = new Option<bool>("--interpolation")
        {
            Description = "Also fetch the RIFE v4.9 ONNX file (21 MB) that renders fps 32 (frame interpolation through ONNX Runtime).",
        };
        var all = new Option<bool>("--all") { Description = "Fetch every file of the variant (both recipes, text-to-video and interpolation too)." };
        var parallel = new Option<int?>("--parallel") { Description = "Files downloaded at once. Default: Svi:ModelHub:Parallelism (4)." };
        var hub = new Option<string?>("--hub-url")
        {
            Description = "Model hub base URL (files are {hub}/{repo}/resolve/{revision}/{path}). Default: Svi:ModelHub:BaseUrl, " +
                          "https://huggingface.co. The token comes from env HF_TOKEN.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the files this pull would fetch, with their sizes and sources, and fetch nothing (no network)." };
        var command = new Command("pull",
            "Download the files a variant needs that are not installed yet: resumable (.part files), parallel, each checked " +
            "against its size and sha256 (from the manifest, else the hub's LFS ETag) and renamed into place when complete.")
        {
            common.ModelsDir, common.Manifest, variant, t2v, recipe, interpolation, all, parallel, hub, dryRun,
        };
        command.SetAction(async (parse, ct) =>
        {
            var configuration = Configuration();
            var inventory = Inventory(parse, common, configuration);
            var options = new HubOptions();
            configuration.GetSection(HubOptions.Section).Bind(options);
            if (parse.GetValue(hub) is { } url) options.BaseUrl = url;
            if (parse.GetValue(parallel) is { } p) options.Parallelism = p;
            if (options.Validate() is { Count: > 0 } errors)
            {
                foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
                return 2;
            }
            string name = parse.GetValue(variant) ?? "fp8";
            if (!inventory.Manifest.Variants.ContainsKey(name))
            {
                Console.Error.WriteLine($"error: unknown variant '{name}' (choose {string.Join(", ", inventory.Manifest.Variants.Keys)})");
                return 2;
            }
            string recipeName = parse.GetValue(recipe) ?? inventory.Recipe;
            if (inventory.Manifest.Recipes is { } recipes && !recipes.ContainsKey(recipeName))
            {
                Console.Error.WriteLine($"error: unknown recipe '{recipeName}' (choose {string.Join(", ", recipes.Keys)})");
                return 2;
            }
            var roles = PullSelection.Roles(inventory.Manifest, recipeName, parse.GetValue(t2v), parse.GetValue(interpolation), parse.GetValue(all));
            if (parse.GetValue(dryRun)) return PrintPlan(inventory, name, roles, options.BaseUrl);

            using var http = HubDownloader.CreateClient(options);
            var puller = new ModelPuller(inventory, new HubDownloader(http, options), options);
            var progress = new DownloadProgress();
            Console.Error.WriteLine($"Pulling variant {name} from {options.BaseUrl} into {inventory.ModelsDirectory}");
            PullReport report;
            await using (new ConsoleProgressBar(progress))
                report = await puller.PullAsync(name, roles, progress, ct);
            report.WriteTo(Console.Out);
            return report.Succeeded ? 0 : 1;
        });
        return command;
    }

    static int PrintPlan(ModelInventory inventory, string variant, IReadOnlySet<ModelRole>? roles, string hub)
    {
        var files = inventory.ToPull(inventory.Manifest.FilesOf(variant).Where(f => roles is null || roles.Contains(f.Role)));
        Console.WriteLine($"Dry run: variant {variant} from {hub} into {inventory.ModelsDirectory}; nothing is fetched.");
        foreach (var f in files)
            Console.WriteLine($"  {(inventory.IsPresent(f) ? "installed" : "to fetch"),-10} {f.Role,-16} " +
                              $"{(f.Size is { } s ? ConsoleProgressBar.Bytes(s) : "size ?"),10}  {f.Path}  ({f.Source.Repo}@{f.Source.Revision})" +
                              (inventory.Installed(f) is { } copy && copy.Location != f.Location ? $"  (as {copy.Location})" : ""));
        long known = files.Where(f => !inventory.IsPresent(f)).Sum(f => f.Size ?? 0);
        Console.WriteLine($"{files.Count(f => !inventory.IsPresent(f))} of {files.Count} file(s) to fetch, {ConsoleProgressBar.Bytes(known)}" +
                          $"{(files.Any(f => f.Size is null && !inventory.IsPresent(f)) ? " plus files of unknown size" : "")}.");
        return 0;
    }

    static Command Verify(Common common)
    {
        var variant = VariantOption("Variant to check. Default: every variant with at least one file installed.");
        var sha = new Option<bool>("--sha256") { Description = "Also hash every file with a published sha256 (reads every byte: minutes for 30 GB)." };
        var command = new Command("verify",
            "Check the installed files without a GPU: size, each safetensors header against the architecture (tensor names, " +
            "shapes, dtypes; all shards of an expert together), other formats by signature, and optionally sha256. " +
            "Exits 1 naming each wrong file.")
        {
            common.ModelsDir, common.Manifest, variant, sha,
        };
        command.SetAction(parse =>
        {
            var inventory = Inventory(parse, common, Configuration());
            var verifier = new ModelVerifier(inventory);
            var variants = parse.GetValue(variant) is { } v ? [v]
                : inventory.Manifest.Variants.Keys.Where(n => inventory.Manifest.FilesOf(n).Any(inventory.IsPresent)).ToList();
            if (variants.Count == 0)
            {
                Console.Error.WriteLine($"No model files are installed under {inventory.ModelsDirectory}. Run './svi models pull'.");
                return 1;
            }
            int exit = 0;
            foreach (var name in variants)
            {
                if (!inventory.Manifest.Variants.ContainsKey(name))
                {
                    Console.Error.WriteLine($"error: unknown variant '{name}'");
                    return 2;
                }
                Console.WriteLine($"== variant {name}");
                foreach (var r in verifier.Verify(name, parse.GetValue(sha)))
                {
                    Console.WriteLine($"  {r.Status,-13} {r.File.Path}");
                    foreach (var p in r.Problems.Where(_ => r.Status != VerifyStatus.Ok)) Console.WriteLine($"      {p}");
                    if (r.Status != VerifyStatus.Ok && (r.Status != VerifyStatus.Missing || !r.File.Optional)) exit = 1;
                }
            }
            return exit;
        });
        return command;
    }
}
