using System.CommandLine;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi bench vae --weights random</c>: times the VAE decode of one clip's latent (21 latent frames → 81 frames at
/// 832x480 by default), streamed one latent frame at a time as a render decodes it, on the architecture's random VAE
/// read through the product's loader.
/// </summary>
public static class BenchVae
{
    public static Command Create()
    {
        var frames = new Option<int>("--latent-frames") { Description = "Latent frames (21 for an 81-frame clip).", DefaultValueFactory = _ => 21 };
        var resolution = new Option<string>("--resolution") { Description = "Pixel WIDTHxHEIGHT of the clip (multiples of 8).", DefaultValueFactory = _ => "832x480" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16.", DefaultValueFactory = _ => "bfloat16" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var iterations = new Option<int>("--iterations") { Description = "Timed decodes (after one untimed warm-up).", DefaultValueFactory = _ => 1 };
        var weights = new WeightsOptions();
        var variant = BenchCommand.VariantOption();
        var command = new Command("vae", "Time the VAE decode of one clip on random weights (--weights random, --architecture a14b or tiny).")
        {
            frames, resolution, dtype, device, iterations, variant,
        };
        weights.AddTo(command);
        command.SetAction(parse =>
        {
            var size = parse.GetValue(resolution)!.Split('x');
            if (size.Length != 2 || !int.TryParse(size[0], out int width) || !int.TryParse(size[1], out int height) || width % 8 != 0 || height % 8 != 0)
            {
                Console.Error.WriteLine($"error: --resolution must be WIDTHxHEIGHT in multiples of 8; got '{parse.GetValue(resolution)}'.");
                return 2;
            }
            ScalarType? computeType = parse.GetValue(dtype) switch { "float32" => ScalarType.Float32, "bfloat16" => ScalarType.BFloat16, _ => null };
            if (computeType is null)
            {
                Console.Error.WriteLine($"error: --dtype must be float32 or bfloat16; got '{parse.GetValue(dtype)}'.");
                return 2;
            }
            var (models, error) = BenchCommand.RandomModels(parse, weights, variant);
            if (models is null)
            {
                Console.Error.WriteLine(error ?? "error: bench vae needs --weights random.");
                return 2;
            }
            var target = new Device(parse.GetValue(device)!);
            if (target.type == DeviceType.CUDA && !cuda.is_available())
            {
                Console.Error.WriteLine("error: --device cuda asked for, but this TorchSharp build sees no CUDA device.");
                return 2;
            }
            return Run(models, parse.GetValue(frames), height / 8, width / 8, computeType.Value, target, parse.GetValue(iterations));
        });
        return command;
    }

    static int Run(BenchModels models, int latentFrames, int latentHeight, int latentWidth, ScalarType computeType, Device device, int iterations)
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
