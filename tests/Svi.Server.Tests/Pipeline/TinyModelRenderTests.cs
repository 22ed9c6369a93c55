using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Server.Jobs;
using Svi.Server.Media;
using Svi.Server.Tests.Media;
using Svi.Server.Tests.Support;
using Svi.Testing;
using static TorchSharp.torch;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// The renderer with the production model loader on tiny random checkpoints written in the real file layouts
/// (official and Comfy-prefixed experts, PEFT LoRAs, Wan 2.1 VAE, UMT5 + spiece.model).
/// </summary>
public sealed class TinyModelRenderTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-tiny-").FullName;
    readonly FfmpegVideoMedia media = new();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    SviVideoRenderer Renderer() => new(new FixedModelInventory(TinySviModels.Write(Path.Combine(directory, "models"))),
        new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32, CPU), media,
        new SviDefaults { AnchorQuality = new SviSampling(3, 12, 0.875, 4), AnchorFast = new SviSampling(2, 5, 0.875, 1) });

    static GenerationSpec Spec(double seconds, string tier = "quality") =>
        TestSpecs.Tiny(seconds, t2v: TestSpecs.Quality(tier)) with { Cfg = 4, Seed = 5 };

    [Fact]
    public async Task Eighteen_second_image_to_video_renders_through_the_production_loaders()
    {
        string image = Path.Combine(directory, "input.png");
        AnchorImage.SavePng(FfmpegVideoMediaTests.Gradient(40, 30, 1).Rgb24.Span, 40, 30, image);
        var result = await Renderer().RenderAsync(RenderJobs.For("tiny", Spec(18), Path.Combine(directory, "job"), image),
            new Progress<RenderProgress>(), CancellationToken.None);

        var info = await media.ProbeAsync(result.VideoPath, CancellationToken.None);
        Assert.Equal((32, 32, 288), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
        Assert.Equal("i2v", result.Mode);
    }

    [Theory]
    [InlineData("quality", "t2v-quality")]
    [InlineData("fast", "t2v-fast")]
    public async Task Text_to_video_tiers_run_on_tiny_text_to_video_experts(string tier, string mode)
    {
        var result = await Renderer().RenderAsync(RenderJobs.For("t2v", Spec(5.0625, tier), Path.Combine(directory, tier), null),
            new Progress<RenderProgress>(), CancellationToken.None);
        Assert.Equal(mode, result.Mode);
        Assert.Equal(81, (await media.ProbeAsync(result.VideoPath, CancellationToken.None)).Frames);
    }
}
