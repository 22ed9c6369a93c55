using Svi.Server.Cli;

namespace Svi.Server.Tests.Pipeline;

[Collection(nameof(GenerateCommandTests))] // InventoryFor is process-wide
public sealed class GenerateCommandTests
{
    static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var originalOut = Console.Out;
        var originalError = Console.Error;
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var parse = SviCommandLine.Create().Parse(args);
            int code = await parse.InvokeAsync();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    [Fact]
    public async Task Help_explains_every_flag()
    {
        var (code, output, _) = await Run("generate", "--help");
        Assert.Equal(0, code);
        foreach (var flag in new[] { "--image", "--prompt", "--duration", "--resolution", "--seed", "--cfg", "--steps",
                     "--motion-latents", "--models-dir", "--output", "--negative-prompt", "--t2v-quality" })
            Assert.Contains(flag, output);
        Assert.Contains("1 + 4m", output);
    }

    [Fact]
    public async Task A_bad_resolution_is_a_usage_error()
    {
        var (code, _, error) = await Run("generate", "--prompt", "a boat", "--resolution", "830x480");
        Assert.Equal(2, code);
        Assert.Contains("error: 'resolution' must be one of 832x480, 480x832, 720x1280, 1280x720; got '830x480'.", error);
    }

    [Fact]
    public async Task A_size_the_tiny_random_weight_architecture_cannot_render_is_refused_before_loading()
    {
        var (code, _, error) = await Run("generate", "--prompt", "a boat", "--weights", "random", "--resolution", "1280x720");
        Assert.Equal(2, code);
        Assert.Contains("'resolution' 1280x720 cannot be rendered by this deployment's tiny random-weight architecture", error);
        Assert.Contains("use 832x480 or 480x832", error);
        Assert.DoesNotContain(RandomModelInventory.Warning, error); // printed once loading starts
    }

    [Fact]
    public async Task Missing_weights_are_named_and_no_video_is_written()
    {
        string output = Path.Combine(Path.GetTempPath(), $"svi-cli-{Guid.NewGuid():N}.mp4");
        var previous = GenerateCommand.InventoryFor;
        GenerateCommand.InventoryFor = _ => new FixedModelInventory(ModelRole.DitHigh, ModelRole.Vae);
        try
        {
            var (code, _, error) = await Run("generate", "--prompt", "a boat", "--duration", "5.0625", "--output", output);
            Assert.Equal(1, code);
            Assert.Contains("DitHigh", error);
            Assert.Contains("./svi models pull", error);
            Assert.False(File.Exists(output));
        }
        finally
        {
            GenerateCommand.InventoryFor = previous;
        }
    }

    [Fact]
    public void Progress_line_shows_rate_and_time_left()
    {
        var bar = new RenderProgressBar(TextWriter.Null);
        bar.Report(new RenderProgress(0.0, 0, 4, 0, RenderStage.Denoising));
        string line = bar.Line(new RenderProgress(0.25, 1, 4, 1, RenderStage.Decoding), TimeSpan.FromMinutes(2));
        Assert.Contains(" 25.0%", line);
        Assert.Contains("clip 1/4 done, decoding", line);
        Assert.Contains("12.5%/min", line);
        Assert.Contains("ETA 6m00s", line);
    }
}
