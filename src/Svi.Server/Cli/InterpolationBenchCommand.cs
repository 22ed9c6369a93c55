using System.CommandLine;
using System.Diagnostics;
using Svi.Inference.Interpolation;
using Svi.Inference.Rendering;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi bench interpolation</c>: times the 16 → 32 fps stage on one clip of random frames through ONNX Runtime, with
/// the RIFE file given by <c>--model</c> or, without it, the linear-blend stand-in graph (which measures ONNX Runtime
/// and the frame conversion, not RIFE's network).
/// </summary>
public static class InterpolationBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "The RIFE v4.x ONNX file. Default: the linear-blend STAND-IN graph (not RIFE)." };
        var frames = new Option<int>("--frames") { Description = "Frames of the clip (81: one SVI clip).", DefaultValueFactory = _ => 81 };
        var resolution = new Option<string>("--resolution") { Description = "WIDTHxHEIGHT of the frames.", DefaultValueFactory = _ => "832x480" };
        var cuda = new Option<bool>("--cuda") { Description = "Try ONNX Runtime's CUDA execution provider first (falls back to the CPU)." };
        var command = new Command("interpolation",
            "Time interpolating one clip to 32 fps (a middle frame between every two) through ONNX Runtime; prints the provider, " +
            "the total and the time per middle frame.")
        {
            model, frames, resolution, cuda,
        };
        command.SetAction(parse =>
        {
            var size = parse.GetValue(resolution)!.Split('x');
            if (size.Length != 2 || !int.TryParse(size[0], out int width) || !int.TryParse(size[1], out int height) || width < 1 || height < 1)
            {
                Console.Error.WriteLine($"error: --resolution must be WIDTHxHEIGHT; got '{parse.GetValue(resolution)}'.");
                return 2;
            }
            int count = parse.GetValue(frames);
            if (count < 2)
            {
                Console.Error.WriteLine("error: --frames must be at least 2.");
                return 2;
            }
            string path = parse.GetValue(model) ?? LinearBlendRifeGraph.Address;
            using var interpolator = RifeInterpolator.Open(path, parse.GetValue(cuda));
            var pixels = new byte[count * width * height * 3];
            new Random(7).NextBytes(pixels);
            var clip = new RgbFrames(width, height, pixels);

            FrameDoubling.Double(clip.Slice(0, 2), null, interpolator);   // warm-up: session initialisation, allocations
            var clock = Stopwatch.StartNew();
            var doubled = FrameDoubling.Double(clip, null, interpolator);
            clock.Stop();
            string graph = parse.GetValue(model) is { } file ? Path.GetFileName(file) : "linear-blend STAND-IN graph (not RIFE)";
            Console.WriteLine($"{graph} on ONNX Runtime {interpolator.Provider}: {count} frames {width}x{height} -> {doubled.Count} at 32 fps " +
                              $"in {clock.Elapsed.TotalSeconds:F2} s ({clock.Elapsed.TotalMilliseconds / (count - 1):F1} ms per middle frame)");
            return 0;
        });
        return command;
    }
}
