using Svi.Server.Tests.Media;
using static TorchSharp.torch;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// The renderer with the production model loader on tiny random checkpoints written in the real file layouts
/// (official and Comfy-prefixed experts, PEFT LoRAs, Wan 2.1 VAE, UMT5 + spiece.model).
/// </summary>
public sealed class TinyModelRenderTests : FfmpegScratchTests
{
    SviVideoRenderer Renderer() => new(new FixedModelInventory(TinySviModels.Write(Path.Combine(Scratch, "models"))),
        new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32, CPU), Media,
        new SviDefaults { AnchorQuality = new SviSampling(3, 12, 0.875, 4), AnchorFast = new SviSampling(2, 5, 0.875, 1) });

    static GenerationSpec Spec(double seconds, string tier = "quality") =>
        TestSpecs.Tiny(seconds, t2v: TestSpecs.Quality(tier)) with { Cfg = 4, Seed = 5 };

    [Fact]
    public async Task Eighteen_second_image_to_video_renders_through_the_production_loaders()
    {
        string image = Path.Combine(Scratch, "input.png");
        AnchorImage.SavePng(FfmpegVideoMediaTests.Gradient(40, 30, 1).Rgb24.Span, 40, 30, image);
        var result = await Renderer().RenderAsync(RenderJobs.For("tiny", Spec(18), Path.Combine(Scratch, "job"), image),
            new Progress<RenderProgress>(), CancellationToken.None);

        var info = await Media.ProbeAsync(result.VideoPath, CancellationToken.None);
        Assert.Equal((32, 32, 288), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
        Assert.Equal("i2v", result.Mode);
    }

    [Theory]
    [InlineData("quality", "t2v-quality")]
    [InlineData("fast", "t2v-fast")]
    public async Task Text_to_video_tiers_run_on_tiny_text_to_video_experts(string tier, string mode)
    {
        var result = await Renderer().RenderAsync(RenderJobs.For("t2v", Spec(5.0625, tier), Path.Combine(Scratch, tier), null),
            new Progress<RenderProgress>(), CancellationToken.None);
        Assert.Equal(mode, result.Mode);
        Assert.Equal(81, (await Media.ProbeAsync(result.VideoPath, CancellationToken.None)).Frames);
    }
}
