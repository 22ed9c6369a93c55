using System.CommandLine;
using System.Text.Json;
using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Inference.Runtime;
using Svi.Inference.Weights;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Images;
using Svi.Server.Jobs;
using Svi.Server.Media;
using Svi.Server.Models;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi generate</c>: one generation from the command line through the same request validation, image decoding and
/// renderer as the server's jobs.
/// </summary>
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

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The deployment's <c>Svi</c> and <c>Svi:Inference</c> sections (appsettings.json beside svi.dll, then env), as the server reads them.</summary>
    static (SviOptions Server, InferenceOptions Inference) ConfiguredOptions()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var server = new SviOptions();
        configuration.GetSection(SviOptions.Section).Bind(server);
        server.RemoveDisabledAliases();
        var inference = new InferenceOptions();
        configuration.GetSection(InferenceOptions.Section).Bind(inference);
        return (server, inference);
    }

    public static Command Create()
    {
        var flags = new GenerateFlags();
        var command = new Command("generate", "Generate a video from the command line, without the server (SVI 2.0 Pro on Wan 2.2; needs the model weights).");
        flags.AddTo(command);
        var weights = new WeightsOptions();
        weights.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (server, options) = ConfiguredOptions();
            if (parse.GetValue(flags.Device) is { } deviceFlag) options.Device = deviceFlag;
            weights.ApplyTo(parse, options);
            if (options.Validate() is { Count: > 0 } problems)
            {
                foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
                return 2;
            }
            var imageFile = parse.GetValue(flags.Image);
            if (imageFile is { Exists: false })
            {
                Console.Error.WriteLine($"error: --image {imageFile.FullName} does not exist");
                return 2;
            }
            var defaults = SviDefaults.From(options);
            GenerationSpec spec;
            byte[]? png;
            try
            {
                var validator = new SpecValidator(server, defaults, DeploymentResolutions.For(ModelArchitectures.For(options), options));
                spec = validator.Validate(flags.Input(parse), SpecParams.Native);
                spec = spec with { MotionLatents = parse.GetValue(flags.Motion), Steps = parse.GetValue(flags.Steps) ?? spec.Steps };
                png = imageFile is null ? null : await DecodeImageAsync(imageFile, server, cancellationToken);
            }
            catch (ApiException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            if (parse.GetValue(flags.DryRun))
            {
                Console.WriteLine(GenerationPlan.Describe(spec).ToJsonString(Indented));
                return 0;
            }
            return await RenderAsync(spec, png, parse.GetValue(flags.Output)!, options, defaults, parse.GetValue(flags.ModelsDir)!,
                cancellationToken);
        });
        return command;
    }

    /// <summary>The input image as the server takes an upload: the same size limit and <see cref="InputImageDecoder"/>.</summary>
    static async Task<byte[]> DecodeImageAsync(FileInfo file, SviOptions server, CancellationToken ct)
    {
        if (file.Length > server.MaxImageBytes) throw ImageSource.TooLarge("image", server.MaxImageBytes);
        var decoder = new InputImageDecoder(server.MaxImagePixels, server.ImageDecodes);
        var (png, _, _) = await decoder.ToPngAsync("image", await File.ReadAllBytesAsync(file.FullName, ct), ct);
        return png;
    }

    static async Task<int> RenderAsync(GenerationSpec spec, byte[]? png, FileInfo outputFile, InferenceOptions options,
        SviDefaults defaults, DirectoryInfo modelsDir, CancellationToken cancellationToken)
    {
        string work = Path.Combine(outputFile.DirectoryName ?? ".", $".{outputFile.Name}.work");
        try
        {
            string? inputImage = null;
            if (png is not null)
            {
                Directory.CreateDirectory(work);
                inputImage = new WorkDirectory(work).InputImage;
                await File.WriteAllBytesAsync(inputImage, png, cancellationToken);
            }
            var inventory = options.UsesRandomWeights
                ? new RandomModelInventory(ModelManifest.Default().Model, options, ModelManifest.Default().RolesFor)
                : InventoryFor(modelsDir.FullName);
            if (options.UsesRandomWeights) Console.Error.WriteLine($"warning: {RandomModelInventory.Warning}");
            var plans = new RuntimePlanSource(inventory, options, new TorchCudaRuntime(), new SystemMemoryProbe(),
                Serilog.Log.ForContext<RuntimePlanSource>());
            var renderer = new SviVideoRenderer(inventory, LoaderFor(options, () => SviPlacement.From(plans.Plan())),
                new FfmpegVideoMedia(options.UsesRandomWeights ? new VideoEncoding { Comment = RandomWeightsLabel.Comment } : new VideoEncoding()),
                defaults);
            Console.Error.WriteLine($"seed {spec.Seed}, {GenerationPlan.ClipsTotal(spec)} clip(s), work files in {work}");
            var bar = new RenderProgressBar(Console.Error);
            var job = new RenderJob(Path.GetFileNameWithoutExtension(outputFile.Name), spec, work) { InputImage = inputImage };
            var result = await renderer.RenderAsync(job, bar, cancellationToken);
            bar.Finish();
            File.Copy(result.VideoPath, outputFile.FullName, overwrite: true);
            Console.WriteLine($"{outputFile.FullName}: {result.Frames} frames, {spec.Width}x{spec.Height}, {spec.Fps} fps ({result.Mode})");
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
    }
}
