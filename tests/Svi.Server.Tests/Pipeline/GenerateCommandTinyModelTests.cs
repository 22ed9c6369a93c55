using Svi.Server.Cli;
using Svi.Server.Tests.Media;
using static TorchSharp.torch;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// <c>./svi generate</c> end to end without a server (issue 3): the real command line, the production loaders on the
/// tiny checkpoints in real file layouts, ffmpeg, and ffprobe on the MP4 it writes.
/// </summary>
[Collection(nameof(GenerateCommandTests))] // InventoryFor and LoaderFor are process-wide
public sealed class GenerateCommandTinyModelTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-cli-tiny-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Generate_renders_an_81_frame_image_to_video_clip_on_the_tiny_model()
    {
        var files = TinySviModels.Write(Path.Combine(directory, "models"));
        string image = Path.Combine(directory, "input.png");
        AnchorImage.SavePng(FfmpegVideoMediaTests.Gradient(40, 30, 1).Rgb24.Span, 40, 30, image);
        string output = Path.Combine(directory, "out.mp4");

        var (previousInventory, previousModels) = (GenerateCommand.InventoryFor, GenerateCommand.LoaderFor);
        GenerateCommand.InventoryFor = _ => new FixedModelInventory(files);
        GenerateCommand.LoaderFor = (options, placement) => SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32, placement);
        var (originalOut, originalError) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int code;
        try
        {
            code = await SviCommandLine.Create().Parse([
                "generate", "--image", image, "--prompt", "a red boat drifts", "--duration", "5.0625",
                "--resolution", "832x480", "--steps", "2", "--cfg", "1.5", "--seed", "3", "--device", "cpu",
                "--models-dir", Path.Combine(directory, "models"), "--output", output]).InvokeAsync();
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            (GenerateCommand.InventoryFor, GenerateCommand.LoaderFor) = (previousInventory, previousModels);
        }

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("81 frames, 832x480, 16 fps (i2v)", stdout.ToString());
        var info = await new FfmpegVideoMedia().ProbeAsync(output, CancellationToken.None);
        Assert.Equal((832, 480, 81), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
    }
}
