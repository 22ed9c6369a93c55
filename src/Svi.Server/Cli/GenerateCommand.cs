using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Inference.Runtime;
using Svi.Inference.Weights;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Jobs;
using Svi.Server.Media;
using Svi.Server.Models;

namespace Svi.Server.Cli;

/// <summary><c>./svi generate</c>: one generation from the command line through the same renderer the server's jobs run.</summary>
public static class GenerateCommand
{
    /// <summary>How the command finds installed weights under a models directory (the model inventory).</summary>
    public static Func<string, IModelInventory> InventoryFor { get; set; } = modelsDirectory =>
        new ModelInventory(ModelManifest.Default(), modelsDirectory);

    /// <summary>
    /// How the weights are loaded, as the worker loads them: the configured architecture (the published A14B unless
    /// random weights or <c>Svi:Inference:Architecture</c> say otherwise) in bf16. Tests swap in a tiny one.
    /// </summary>
    public static Func<InferenceOptions, Func<SviPlacement>, ISviModelLoader> LoaderFor { get; set; } =
        (options, placement) => SviModelLoader.From(options, ModelArchitectures.For(options), placement);

    /// <summary>The deployment's <c>Svi:Inference</c> section (appsettings.json beside svi.dll, then env), as the server reads it.</summary>
    static InferenceOptions ConfiguredOptions()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new InferenceOptions();
        configuration.GetSection(InferenceOptions.Section).Bind(options);
        return options;
    }

    public static Command Create()
    {
        var image = new Option<FileInfo?>("--image") { Description = "Input image (png, jpg, webp): the first frame and anchor of the video. Without it the video is made from the prompt alone (text-to-video: the anchor frame is generated first)." };
        var prompts = new Option<string[]>("--prompt") { Description = "What happens in the video. Repeat for one prompt per 81-frame clip (the last repeats); a single prompt may separate scenes with lines of '---'.", Required = true, AllowMultipleArgumentsPerToken = false };
        var negative = new Option<string>("--negative-prompt") { Description = "What to avoid (default: Wan's standard negative prompt).", DefaultValueFactory = _ => SviDefaults.WanNegativePrompt };
        var duration = new Option<double>("--duration") { Description = $"Length in seconds, {ClipPlanner.MinDurationSeconds} … {ClipPlanner.MaxDurationSeconds} (16 fps; the video has round(duration × 16) frames).", DefaultValueFactory = _ => 18.0 };
        var resolution = new Option<string>("--resolution") { Description = $"WIDTHxHEIGHT, multiples of 16, or of 32 with the tiny architecture (the server's sizes: {string.Join(", ", Resolutions.Buckets)}; tiny: the 480p pair). The image is scaled to cover it and centre-cropped.", DefaultValueFactory = _ => new SviOptions().DefaultResolution };
        var seed = new Option<long?>("--seed") { Description = "Seed of the whole video (each clip derives its own); the same seed and flags give the same video. Default: random." };
        var recipe = new Option<string?>("--recipe") { Description = "distilled (SVI 2.0 Pro + LightX2V distill LoRAs, 6 steps split 3 + 3, cfg 1–2) or reference (the official 50 steps, cfg 1–10). Default Svi:Inference:Recipe (distilled)." };
        var cfg = new Option<double?>("--cfg") { Description = "Classifier-free guidance scale; 1 skips the negative pass. Default: the recipe's (distilled Svi:Inference:Distilled:Guidance, 1.5; reference Svi:Inference:Guidance, 5)." };
        var steps = new Option<int?>("--steps") { Description = "Denoising steps per clip (default: the recipe's, Svi:Inference:Distilled:Steps 6 or Svi:Inference:Steps 50)." };
        var device = new Option<string?>("--device") { Description = "auto, cpu, cuda or cuda:N (default Svi:Inference:Device, auto: the first CUDA device, else the CPU)." };
        var motion = new Option<int>("--motion-latents") { Description = "Latents carried from one clip into the next (m); each later clip drops its first 1 + 4m frames.", DefaultValueFactory = _ => 1 };
        var t2v = new Option<string>("--t2v-quality") { Description = "Without --image: 'quality' makes the anchor frame with Wan 2.2 T2V-A14B, 'fast' with its few-step distilled variant.", DefaultValueFactory = _ => "quality" };
        var modelsDir = new Option<DirectoryInfo>("--models-dir") { Description = "Where the model weights are installed (see ./svi models).", DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("Svi__ModelsDirectory") ?? "models") };
        var fps = new Option<int>("--fps") { Description = "16 (as rendered) or 32: RIFE v4.9 through ONNX Runtime inserts the middle frame between every two frames (needs ./svi models pull --interpolation).", DefaultValueFactory = _ => 16 };
        var output = new Option<FileInfo>("--output") { Description = "The MP4 to write. Its work files (checkpoints, parts) sit beside it in .<name>.work/, so re-running the same command resumes after the last finished clip.", DefaultValueFactory = _ => new FileInfo("video.mp4") };

        var command = new Command("generate", "Generate a video from the command line, without the server (SVI 2.0 Pro on Wan 2.2; needs the model weights).")
        {
            image, prompts, negative, duration, resolution, seed, recipe, cfg, steps, device, motion, t2v, modelsDir, fps, output,
        };
        var weights = new WeightsOptions();
        weights.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryParseResolution(parse.GetValue(resolution)!, out int width, out int height))
            {
                Console.Error.WriteLine($"error: --resolution '{parse.GetValue(resolution)}' is not WIDTHxHEIGHT with multiples of 16");
                return 2;
            }
            if (!OutputFps.Supported.Contains(parse.GetValue(fps)))
            {
                Console.Error.WriteLine($"error: --fps must be {string.Join(" or ", OutputFps.Supported)}; got {parse.GetValue(fps)}");
                return 2;
            }
            var imageFile = parse.GetValue(image);
            if (imageFile is { Exists: false })
            {
                Console.Error.WriteLine($"error: --image {imageFile.FullName} does not exist");
                return 2;
            }
            var options = ConfiguredOptions();
            if (parse.GetValue(recipe) is { } recipeFlag) options.Recipe = recipeFlag;
            if (parse.GetValue(device) is { } deviceFlag) options.Device = deviceFlag;
            weights.ApplyTo(parse, options);
            if (options.Validate() is { Count: > 0 } problems)
            {
                foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
                return 2;
            }
            if (DeploymentResolutions.For(ModelArchitectures.For(options), options).WhyNot(width, height) is { } unrenderable)
            {
                Console.Error.WriteLine($"error: --resolution {unrenderable}");
                return 2;
            }
            // The server's defaults, from the same options: recipe, its steps and cfg (and the cfg range a request has).
            var defaults = SviDefaults.From(options);
            var settings = defaults.Settings(defaults.Recipe);
            double cfgValue = parse.GetValue(cfg) ?? settings.DefaultCfg;
            if (!settings.CfgAllowed(cfgValue))
            {
                Console.Error.WriteLine($"error: --cfg {cfgValue.ToString(CultureInfo.InvariantCulture)} is outside {settings.MinCfg}–{settings.MaxCfg}, the {defaults.Recipe.Name()} recipe's range");
                return 2;
            }
            var spec = new GenerationSpec
            {
                Model = ModelCatalog.SviProId,
                Recipe = defaults.Recipe,
                Prompts = parse.GetValue(prompts)!,
                NegativePrompt = parse.GetValue(negative)!,
                Width = width,
                Height = height,
                DurationSeconds = parse.GetValue(duration),
                Cfg = cfgValue,
                Seed = parse.GetValue(seed) ?? Random.Shared.NextInt64(0, 1L << 53),
                AnchorImagePath = imageFile?.FullName,
                T2vQuality = parse.GetValue(t2v)!,
                MotionLatents = parse.GetValue(motion),
                Steps = parse.GetValue(steps) ?? settings.Steps,
                Fps = parse.GetValue(fps),
            };
            var outputFile = parse.GetValue(output)!;
            string work = Path.Combine(outputFile.DirectoryName ?? ".", $".{outputFile.Name}.work");
            try
            {
                var inventory = options.UsesRandomWeights
                    ? new RandomModelInventory(ModelManifest.Default().Model, options)
                    : InventoryFor(parse.GetValue(modelsDir)!.FullName);
                if (options.UsesRandomWeights) Console.Error.WriteLine($"warning: {RandomModelInventory.Warning}");
                var plans = new RuntimePlanSource(inventory, options, new TorchCudaRuntime(), new SystemMemoryProbe(),
                    Serilog.Log.ForContext<RuntimePlanSource>());
                var renderer = new SviVideoRenderer(inventory, LoaderFor(options, () => SviPlacement.From(plans.Plan())),
                    new FfmpegVideoMedia(options.UsesRandomWeights ? new VideoEncoding { Comment = RandomWeightsLabel.Comment } : new VideoEncoding()),
                    defaults);
                Console.Error.WriteLine($"seed {spec.Seed}, {ClipPlanner.ForDuration(spec.DurationSeconds, spec.MotionLatents).Clips} clip(s), work files in {work}");
                var bar = new ProgressBar(Console.Error);
                var result = await renderer.RenderAsync(new RenderJob(Path.GetFileNameWithoutExtension(outputFile.Name), spec, work),
                    bar, cancellationToken);
                bar.Finish();
                File.Copy(result.VideoPath, outputFile.FullName, overwrite: true);
                Console.WriteLine($"{outputFile.FullName}: {result.Frames} frames, {width}x{height}, 16 fps ({result.Mode})");
                return 0;
            }
            catch (Exception e) when (e is WeightsMissingException or GenerationSpecException or CheckpointFormatException or InvalidOperationException
                                           or RenderFailedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e is GenerationSpecException ? 2 : 1;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled; run the same command again to resume after the last finished clip");
                return 130;
            }
        });
        return command;
    }

    static bool TryParseResolution(string text, out int width, out int height)
    {
        width = height = 0;
        var parts = text.ToLowerInvariant().Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out height)
            && width >= 16 && height >= 16 && width % 16 == 0 && height % 16 == 0;
    }

    /// <summary>A one-line bar: fraction done, clips finished, the stage, progress per minute and the time left at that rate.</summary>
    internal sealed class ProgressBar(TextWriter writer) : IProgress<RenderProgress>
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        double? startFraction;

        public void Report(RenderProgress value)
        {
            startFraction ??= value.Fraction;
            writer.Write("\r" + Line(value, clock.Elapsed));
        }

        public string Line(RenderProgress value, TimeSpan elapsed)
        {
            double fraction = value.Fraction;
            const int width = 30;
            int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
            double done = fraction - (startFraction ?? 0);
            string rate = done > 0 ? $"{done * 100 / Math.Max(elapsed.TotalMinutes, 1e-9):F1}%/min" : "–";
            string eta = done > 0 ? Format(TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / done)) : "–";
            return $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:F1}%  clip {value.ClipsCompleted}/{value.ClipsTotal} done, {value.Stage.Name(),-13}  {rate}  ETA {eta}  ";
        }

        public void Finish() => writer.WriteLine();

        static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
    }
}
