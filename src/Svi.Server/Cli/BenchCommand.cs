using System.CommandLine;
using System.Diagnostics;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Inference.Wan;
using Svi.Inference.Weights.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi bench dit</c>: times one Wan DiT forward on random weights at a chosen size, so speed can be compared across
/// devices and against the reference; <c>./svi bench vae</c>  times a clip's VAE decode. With
/// <c>--weights random</c> the models are an architecture's random checkpoints read through the product's loaders
/// (<see cref="BenchmarkModels"/>). Random weights: the numbers measure compute, never video quality.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Run a benchmark and print its timings (results are recorded in bench/RESULTS.md).");
        command.Subcommands.Add(CreateDit());
        command.Subcommands.Add(CreateVae());
        command.Subcommands.Add(InterpolationBenchCommand.Create());
        return command;
    }

    static Command CreateDit()
    {
        var a14b = WanConfig.I2vA14B;
        var dim = new Option<int>("--dim") { Description = $"Model width (A14B: {a14b.Dim}).", DefaultValueFactory = _ => a14b.Dim };
        var ffn = new Option<int>("--ffn") { Description = $"Feed-forward width (A14B: {a14b.FfnDim}).", DefaultValueFactory = _ => a14b.FfnDim };
        var heads = new Option<int>("--heads") { Description = $"Attention heads (A14B: {a14b.NumHeads}).", DefaultValueFactory = _ => a14b.NumHeads };
        var layers = new Option<int>("--layers") { Description = $"Transformer blocks (A14B: {a14b.NumLayers}).", DefaultValueFactory = _ => a14b.NumLayers };
        var clip = new BenchClipOptions("Pixel WIDTHxHEIGHT of the clip (latent grid = /8, tokens = /16 per side).", sizeMultiple: 16,
            timedRuns: "forwards", iterations: 3);
        var command = new Command("dit",
            "Time one DiT forward (one denoising step of one expert, no CFG) on random weights; prints ms per forward, " +
            "tokens, the forward's FLOPs and the achieved TFLOP/s. Without --weights the expert is initialised in place at " +
            "--dim/--ffn/--heads/--layers; with --weights random it is the architecture's high-noise expert read from its random " +
            "checkpoint (stored as --variant) by the product's loader, with the distilled recipe's LoRAs merged.")
        {
            dim, ffn, heads, layers,
        };
        clip.AddTo(command);
        command.SetAction(parse =>
        {
            if (!clip.TryReadSize(parse, out int width, out int height)) return 2;
            if (ComputeType(parse.GetValue(clip.Dtype)) is not { } computeType) return 2;
            if (TargetDevice(parse.GetValue(clip.Device)!) is not { } target) return 2;
            if (clip.RandomModels(parse) is var (models, error) && error is not null)
            {
                Console.Error.WriteLine(error);
                return 2;
            }
            var architecture = models?.Architecture ?? SviArchitecture.Wan22A14B;
            int stride = architecture.Vae.SpatialStride;
            var patch = architecture.I2v.PatchSize;
            if (height / stride % patch[1] != 0 || width / stride % patch[2] != 0)
            {
                Console.Error.WriteLine($"error: the latent grid {width / stride}x{height / stride} does not divide into {patch[2]}x{patch[1]} patches.");
                return 2;
            }
            WanTransformer Build()
            {
                if (models is not null)
                {
                    Console.WriteLine($"weights: RANDOM {models.Variant} ({models.Architecture.I2v.NumLayers} blocks), read through the product's loader");
                    return models.HighNoiseExpert(computeType, target);
                }
                var model = new WanTransformer(a14b with
                {
                    Dim = parse.GetValue(dim),
                    FfnDim = parse.GetValue(ffn),
                    NumHeads = parse.GetValue(heads),
                    NumLayers = parse.GetValue(layers),
                }, computeType);
                using (no_grad())
                {
                    foreach (var (_, parameter) in model.named_parameters()) parameter.normal_(0, 0.02);
                }
                model.to(target);
                return model;
            }
            return Run(Build, parse.GetValue(clip.LatentFrames), height / stride, width / stride, computeType, target, parse.GetValue(clip.Iterations));
        });
        return command;
    }

    static ScalarType? ComputeType(string? text)
    {
        ScalarType? type = text switch { "float32" => ScalarType.Float32, "bfloat16" => ScalarType.BFloat16, _ => null };
        if (type is null) Console.Error.WriteLine($"error: --dtype must be float32 or bfloat16; got '{text}'.");
        return type;
    }

    static Device? TargetDevice(string text)
    {
        var target = new Device(text);
        if (target.type != DeviceType.CUDA || cuda.is_available()) return target;
        Console.Error.WriteLine("error: --device cuda asked for, but this TorchSharp build sees no CUDA device (the CPU build is used in dev/CI; the CUDA image is built with -p:SviTorchBackend=cuda).");
        return null;
    }

    static int Run(Func<WanTransformer> build, int latentFrames, int latentHeight, int latentWidth, ScalarType computeType, Device device, int iterations)
    {
        var loading = Stopwatch.StartNew();
        using var model = build();
        var config = model.Config;
        Console.WriteLine($"built in {loading.Elapsed.TotalSeconds:F1} s");
        using var x = randn(new long[] { 1, config.InDim, latentFrames, latentHeight, latentWidth }, device: device);
        using var t = tensor(new float[] { 900 }, device: device);
        using var context = randn(new long[] { 1, config.TextLen, config.TextDim }, device: device) * 0.1;

        long tokens = (long)latentFrames / config.PatchSize[0] * (latentHeight / config.PatchSize[1]) * (latentWidth / config.PatchSize[2]);
        double flops = DitFlops.Forward(config, tokens);
        Console.WriteLine($"DiT dim {config.Dim}, ffn {config.FfnDim}, {config.NumHeads} heads, {config.NumLayers} layers; " +
                          $"{tokens} tokens ({latentFrames / config.PatchSize[0]}x{latentHeight / config.PatchSize[1]}x{latentWidth / config.PatchSize[2]}), {computeType}, {device}");
        Console.WriteLine($"one forward: {flops / 1e12:F1} TFLOP");

        var timings = new List<double>();
        long peakBytes = 0;
        for (int i = 0; i <= iterations; i++)
        {
            using var scope = NewDisposeScope();
            using var meter = Svi.Inference.Runtime.LiveTensorMeter.Start();
            var watch = Stopwatch.StartNew();
            using (no_grad())
            {
                var output = model.Forward(x, t, context);
                if (device.type == DeviceType.CUDA) cuda.synchronize();
                _ = output.shape;
            }
            watch.Stop();
            peakBytes = Math.Max(peakBytes, meter.PeakBytes);
            if (i > 0) timings.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine($"  {(i == 0 ? "warm-up" : $"run {i}")}: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
        double best = timings.Min(), mean = timings.Average();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"best {best:F0} ms, mean {mean:F0} ms, {flops / (best / 1000) / 1e12:F3} TFLOP/s, peak RSS {process.PeakWorkingSet64 / (1 << 20)} MiB");
        long formula = Svi.Inference.Runtime.DitActivations.PeakBytes(config, tokens, 1, computeType);
        Console.WriteLine($"peak live tensor bytes per forward {peakBytes / (double)(1 << 20):F1} MiB " +
                          $"(planner formula {formula / (double)(1 << 20):F1} MiB; weights and inputs not counted)");
        return 0;
    }

    /// <summary>
    /// <c>./svi bench vae --weights random</c>: the VAE decode of one clip's latent (21 latent frames → 81 frames at 832x480
    /// by default), streamed one latent frame at a time as a render decodes it, on the architecture's random VAE.
    /// </summary>
    static Command CreateVae()
    {
        var clip = new BenchClipOptions("Pixel WIDTHxHEIGHT of the clip (multiples of 8).", sizeMultiple: 8, timedRuns: "decodes", iterations: 1);
        var command = new Command("vae", "Time the VAE decode of one clip on random weights (--weights random, --architecture a14b or tiny).");
        clip.AddTo(command);
        command.SetAction(parse =>
        {
            if (!clip.TryReadSize(parse, out int width, out int height)) return 2;
            if (ComputeType(parse.GetValue(clip.Dtype)) is not { } computeType) return 2;
            var (models, error) = clip.RandomModels(parse);
            if (models is null)
            {
                Console.Error.WriteLine(error ?? "error: bench vae needs --weights random.");
                return 2;
            }
            if (TargetDevice(parse.GetValue(clip.Device)!) is not { } target) return 2;
            int stride = models.Architecture.Vae.SpatialStride;
            return RunVae(models, parse.GetValue(clip.LatentFrames), height / stride, width / stride, computeType, target, parse.GetValue(clip.Iterations));
        });
        return command;
    }

    static int RunVae(BenchmarkModels models, int latentFrames, int latentHeight, int latentWidth, ScalarType computeType, Device device, int iterations)
    {
        var loading = Stopwatch.StartNew();
        using var vae = models.Vae(computeType, device);
        Console.WriteLine($"weights: RANDOM {models.Variant} VAE (width {models.Architecture.Vae.DecoderDim}), read through the product's loader in {loading.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"decode {latentFrames} latent frames at {latentWidth * 8}x{latentHeight * 8} → {1 + 4 * (latentFrames - 1)} frames, {computeType}, {device}");
        using var latent = randn(new long[] { 1, vae.LatentChannels, latentFrames, latentHeight, latentWidth }, device: device);
        var timings = new List<double>();
        for (int i = 0; i <= iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            long frames = 0;
            using (no_grad())
            {
                foreach (var chunk in vae.DecodeFrames(latent))
                    using (chunk) frames += chunk.shape[2];
                if (device.type == DeviceType.CUDA) cuda.synchronize();
            }
            watch.Stop();
            if (i > 0) timings.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine($"  {(i == 0 ? "warm-up" : $"run {i}")}: {watch.Elapsed.TotalMilliseconds:F0} ms ({frames} frames)");
        }
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"best {timings.Min():F0} ms, mean {timings.Average():F0} ms per clip decode, peak RSS {process.PeakWorkingSet64 / (1 << 20)} MiB");
        return 0;
    }
}
