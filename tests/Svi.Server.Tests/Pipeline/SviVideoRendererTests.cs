using Svi.Inference.Weights;
using Svi.Server.Tests.Media;

namespace Svi.Server.Tests.Pipeline;

/// <summary>The renderer end to end on stand-in models with the real ffmpeg.</summary>
public sealed class SviVideoRendererTests : FfmpegScratchTests
{
    static GenerationSpec Spec(double seconds, string t2v = "quality") =>
        TestSpecs.Tiny(seconds, 32, 16, t2v: TestSpecs.Quality(t2v)) with { Prompts = ["a boat\n---\nthe boat turns"], Cfg = 3, Seed = 77 };

    string AnchorImage()
    {
        string path = Path.Combine(Scratch, "input.png");
        var gradient = FfmpegVideoMediaTests.Gradient(48, 40, 1);
        Server.Media.AnchorImage.SavePng(gradient.Rgb24.Span, 48, 40, path);
        return path;
    }

    SviVideoRenderer Renderer(StandInModelLoader? loader = null, IModelInventory? inventory = null) =>
        new(inventory ?? new FixedModelInventory(), loader ?? new StandInModelLoader(), Media, new SviDefaults());

    [Fact]
    public async Task Image_to_video_writes_an_mp4_with_the_requested_frames_size_and_16_fps_and_a_thumbnail()
    {
        var job = RenderJobs.For("g1", Spec(10.0), Path.Combine(Scratch, "g1"), AnchorImage());
        var reports = new List<RenderProgress>();
        var result = await Renderer().RenderAsync(job, new InlineProgress(reports.Add), CancellationToken.None);

        var info = await Media.ProbeAsync(result.VideoPath, CancellationToken.None);
        Assert.Equal((32, 16, 160), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
        Assert.Equal(("i2v", 160), (result.Mode, result.Frames));
        Assert.True(File.Exists(result.ThumbnailPath));
        Assert.False(File.Exists(new WorkDirectory(job.WorkDirectory).PartialVideo));
        // 3 clips × 2 steps: fractions rise monotonically to 1
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
    }

    [Fact]
    public async Task A_job_stopped_mid_clip_resumes_after_its_last_finished_clip_and_yields_a_byte_identical_video()
    {
        string image = AnchorImage();
        var uninterrupted = await Renderer().RenderAsync(RenderJobs.For("a", Spec(15.0), Path.Combine(Scratch, "a"), image),
            new InlineProgress(_ => { }), CancellationToken.None);

        var job = RenderJobs.For("b", Spec(15.0), Path.Combine(Scratch, "b"), image);
        using var stop = new CancellationTokenSource();
        var stopInClip2 = new InlineProgress(p => { if (p.Clip == 2 && p.Fraction > 2.5 / 4) stop.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Renderer().RenderAsync(job, stopInClip2, stop.Token));

        // after clip 1 a playable partial video of clips 0 and 1 exists
        var partial = await Media.ProbeAsync(new WorkDirectory(job.WorkDirectory).PartialVideo, CancellationToken.None);
        Assert.Equal(81 + 76, partial.Frames);

        var firstClipSteps = new List<RenderProgress>();
        var resumed = await Renderer().RenderAsync(job, new InlineProgress(firstClipSteps.Add), CancellationToken.None);
        Assert.Equal(2, firstClipSteps[0].Clip);
        Assert.Equal(await File.ReadAllBytesAsync(uninterrupted.VideoPath), await File.ReadAllBytesAsync(resumed.VideoPath));
        Assert.Equal(240, (await Media.ProbeAsync(resumed.VideoPath, CancellationToken.None)).Frames);
    }

    [Theory]
    [InlineData("quality", "t2v-quality", SviMode.TextToVideoQuality)]
    [InlineData("fast", "t2v-fast", SviMode.TextToVideoFast)]
    public async Task Text_to_video_makes_the_anchor_frame_first_and_records_its_tier(string tier, string mode, SviMode loaded)
    {
        var loader = new StandInModelLoader();
        var job = RenderJobs.For("t", Spec(5.0625, tier), Path.Combine(Scratch, "t"), null);
        var result = await Renderer(loader).RenderAsync(job, new InlineProgress(_ => { }), CancellationToken.None);

        Assert.Equal(mode, result.Mode);
        Assert.Equal([loaded], loader.Loaded);
        Assert.True(File.Exists(Path.Combine(job.WorkDirectory, "anchor.png")));
        Assert.Equal(81, (await Media.ProbeAsync(result.VideoPath, CancellationToken.None)).Frames);
    }

    [Fact]
    public async Task Missing_weights_fail_with_the_missing_files_named_and_no_video()
    {
        var job = RenderJobs.For("m", Spec(5.0625), Path.Combine(Scratch, "m"), AnchorImage());
        var error = await Assert.ThrowsAsync<WeightsMissingException>(() =>
            Renderer(inventory: new FixedModelInventory(ModelRole.LoraHigh)).RenderAsync(job, new InlineProgress(_ => { }), CancellationToken.None));
        Assert.Contains("LoraHigh of svi-2-0-pro", error.Message);
        Assert.Contains("./svi models pull", error.Message);
        Assert.False(File.Exists(new WorkDirectory(job.WorkDirectory).Video));
    }

    [Fact]
    public async Task Fast_text_to_video_needs_the_distill_loras_made_for_t2v()
    {
        var job = RenderJobs.For("f", Spec(5.0625, "fast"), Path.Combine(Scratch, "f"), null);
        var error = await Assert.ThrowsAsync<WeightsMissingException>(() =>
            Renderer(inventory: new FixedModelInventory(ModelRole.T2vDistillLoraLow)).RenderAsync(job, new InlineProgress(_ => { }), CancellationToken.None));
        Assert.Contains("T2vDistillLoraLow", error.FilePath);
    }

    [Fact]
    public async Task Distilled_image_to_video_needs_the_480p_low_distill_at_every_resolution()
    {
        string hdImage = AnchorImage();
        var spec = Spec(5.0625) with { Recipe = SviRecipe.Distilled, Cfg = 1.5, Width = 1280, Height = 720 };
        var error = await Assert.ThrowsAsync<WeightsMissingException>(() =>
            Renderer(inventory: new FixedModelInventory(ModelRole.DistillLoraLow))
                .RenderAsync(RenderJobs.For("hd", spec, Path.Combine(Scratch, "hd"), hdImage), new InlineProgress(_ => { }), CancellationToken.None));
        Assert.Contains("DistillLoraLow", error.FilePath);
        error = await Assert.ThrowsAsync<WeightsMissingException>(() =>
            Renderer(inventory: new FixedModelInventory(ModelRole.DistillLoraLow))
                .RenderAsync(RenderJobs.For("sd", spec with { Width = 64, Height = 32 }, Path.Combine(Scratch, "sd"), hdImage), new InlineProgress(_ => { }), CancellationToken.None));
        Assert.Contains("DistillLoraLow", error.FilePath);
    }

    sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
