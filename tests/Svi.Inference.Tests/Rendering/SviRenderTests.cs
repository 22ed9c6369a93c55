using Svi.Inference.Rendering;

namespace Svi.Inference.Tests.Rendering;

/// <summary>The render on stand-in models into an output in memory: resume, extension starts and anchors, without FFmpeg.</summary>
public sealed class SviRenderTests : IDisposable
{
    const int Width = 32, Height = 16;
    readonly string directory = Directory.CreateTempSubdirectory("svi-render-").FullName;
    readonly ModelFiles files = new FixedModelInventory().Check().Files!;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static GenerationSpec Spec(int frames, bool image = true, string t2v = "quality") =>
        TestSpecs.Tiny(frames / 16.0, Width, Height, image, TestSpecs.Quality(t2v));

    // a horizontal gradient, one frame per row of the result
    static RgbFrames Gradient(int frames, int shift = 0)
    {
        var pixels = new byte[frames * Width * Height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / 3 % Width * 8 + i % 3 * 40 + i / (Width * Height * 3) * 3 + shift) % 256);
        return new RgbFrames(Width, Height, pixels);
    }

    RenderInput Input(string id, GenerationSpec spec, RenderContinuation? continueFrom = null) =>
        new(id, spec, Path.Combine(directory, id)) { AnchorImage = () => Gradient(1), ContinueFrom = continueFrom };

    RenderOutcome Render(RenderInput input, IRenderOutput output, Action<RenderProgress>? report = null,
        CancellationToken cancellationToken = default, ISviModelLoader? loader = null) =>
        new SviRender(loader ?? new StandInModelLoader(), new SviDefaults())
            .Render(input, files, output, new InlineProgress(report ?? (_ => { })), cancellationToken);

    [Fact]
    public void A_render_stopped_mid_clip_resumes_after_its_last_finished_clip_with_the_same_frames()
    {
        var whole = new RecordingRenderOutput();
        Render(Input("whole", Spec(240)), whole);

        var stopped = new RecordingRenderOutput();
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Render(Input("b", Spec(240)), stopped, p => { if (p.Clip == 2) stop.Cancel(); }, stop.Token));
        Assert.Equal([0, 1], stopped.Clips.Keys);

        var resumed = new RecordingRenderOutput();
        var clips = new List<int>();
        var outcome = Render(Input("b", Spec(240)), resumed, p => clips.Add(p.Clip));
        Assert.Equal(0, resumed.Resets);
        Assert.Equal([2, 3], resumed.Clips.Keys);
        Assert.Equal(2, clips[0]);
        Assert.Equal((4, 240, "i2v"), (outcome.Clips, outcome.Frames, outcome.Mode));
        Assert.Equal(whole.Video, stopped.Video.Concat(resumed.Video).ToArray());
    }

    [Fact]
    public void The_models_load_at_the_specs_lora_strengths_and_a_resume_at_other_strengths_starts_from_the_first_clip()
    {
        var loader = new StandInModelLoader();
        var spec = Spec(240) with { LoraStrengths = new([new(ModelRole.LoraHigh, 0.5)]) };
        var stopped = new RecordingRenderOutput();
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Render(Input("b", spec), stopped, p => { if (p.Clip == 2) stop.Cancel(); }, stop.Token, loader));
        Assert.Equal(new SviDefaults().LorasFor(spec.Recipe).With(spec.LoraStrengths), loader.Choices[0].Loras);
        Assert.Equal(0.5, loader.Choices[0].Loras!.Get(ModelRole.LoraHigh));

        var resumed = new RecordingRenderOutput();
        Render(Input("b", spec with { LoraStrengths = new([new(ModelRole.LoraHigh, 0.8)]) }), resumed, loader: loader);
        Assert.Equal(0.8, loader.Choices[1].Loras!.Get(ModelRole.LoraHigh));
        Assert.Equal(1, resumed.Resets);
        Assert.Equal([0, 1, 2, 3], resumed.Clips.Keys);
    }

    [Theory]
    // an untrimmed 2-clip source extended by 1 clip
    [InlineData(81 + 76, 1)]
    // a 3-clip source trimmed to 160 frames (its last clip kept 3 of 76 frames) extended by 2 clips
    [InlineData(160, 2)]
    public void Extending_a_finished_render_by_k_clips_yields_the_frames_of_an_uninterrupted_run(int sourceFrames, int k)
    {
        var source = new RecordingRenderOutput();
        Render(Input("source", Spec(sourceFrames)), source);
        int clips = ClipPlanner.ForDuration(sourceFrames / 16.0).Clips;
        int total = 81 + (clips - 1 + k) * 76;

        var extension = new RecordingRenderOutput(source);
        var outcome = Render(Input("extension", Spec(total), new RenderContinuation(Path.Combine(directory, "source"))), extension);
        var whole = new RecordingRenderOutput();
        Render(Input("whole", Spec(total)), whole);

        Assert.Equal(total, outcome.Frames);
        Assert.Equal(clips + k, extension.Clips.Count);
        Assert.Equal(whole.Video, extension.Video);
        using var a = new SviCheckpointStore(Path.Combine(directory, "extension", "checkpoint")).LoadMotionLatents(CPU);
        using var b = new SviCheckpointStore(Path.Combine(directory, "whole", "checkpoint")).LoadMotionLatents(CPU);
        Assert.True(a.eq(b).all().item<bool>(), "the motion latents differ");
    }

    [Theory]
    [InlineData(16, new[] { RenderStage.Denoising, RenderStage.Decoding, RenderStage.Encoding })]
    [InlineData(32, new[] { RenderStage.Denoising, RenderStage.Decoding, RenderStage.Interpolating, RenderStage.Encoding })]
    public void Each_clip_reports_its_stages_in_order_and_progress_stays_below_one_until_the_mp4_is_joined(int fps, RenderStage[] stages)
    {
        var reports = new List<RenderProgress>();
        var outcome = Render(Input("stages", Spec(240) with { Fps = fps }), new RecordingRenderOutput(), reports.Add);

        Assert.Equal(4, outcome.Clips);
        Assert.All(reports, r => Assert.Equal(4, r.ClipsTotal));
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
        for (int clip = 0; clip < 4; clip++)
        {
            var own = reports.Where(r => r.Clip == clip && r.ClipsCompleted == clip).ToList();
            Assert.Equal(stages, own.Select(r => r.Stage).Distinct());
        }
        var last = reports[^1];
        Assert.Equal((4, RenderStage.Encoding), (last.ClipsCompleted, last.Stage));
        Assert.InRange(last.Fraction, 0.9, 0.999);
    }

    [Fact]
    public void An_extension_without_the_sources_anchor_latent_fails_naming_it()
    {
        var source = new RecordingRenderOutput();
        Render(Input("source", Spec(81)), source);
        File.Delete(Path.Combine(directory, "source", "checkpoint", "anchor_latent.safetensors"));

        var error = Assert.Throws<RenderFailedException>(() => Render(
            Input("extension", Spec(81 + 76), new RenderContinuation(Path.Combine(directory, "source"))),
            new RecordingRenderOutput(source)));

        Assert.Equal("source_state_missing", error.Code);
        Assert.Contains("anchor latent", error.Message);
    }

    [Fact]
    public void An_upload_continues_from_the_vae_encoding_of_the_last_five_frames_the_output_returns()
    {
        const int uploaded = 32;
        var upload = Gradient(uploaded, shift: 5);
        var output = new RecordingRenderOutput(new UploadInMemory(upload).Source);
        var continuation = new RenderContinuation(Path.Combine(directory, "upload-source"), new UploadInMemory(upload));
        using var stop = new CancellationTokenSource();
        var input = Input("upload", Spec(uploaded + 76), continuation);
        Assert.ThrowsAny<OperationCanceledException>(() => Render(input, output, p => { if (p.Clip == 1) stop.Cancel(); }, stop.Token));

        using (var scope = NewDisposeScope())
        {
            var tail = ClipFrames.FromBytes(upload.Slice(uploaded - 5, 5));
            var expected = new StandInVae(16, 8).Encode(ClipFrames.FramesToVideo(tail, ScalarType.Float32, CPU))[.., .., TensorIndex.Slice(1, 2)];
            var seeded = new SviCheckpointStore(Path.Combine(directory, "upload", "checkpoint")).LoadMotionLatents(CPU);
            Assert.True(seeded.eq(expected).all().item<bool>(), "the motion latents are not the encoding of the upload's last 5 frames");
        }

        var outcome = Render(input, output);
        Assert.Equal(uploaded + 76, outcome.Frames);
        Assert.Same(upload, output.Clips[0]);
        Assert.Equal(76, output.Clips[1].Count);
    }

    [Fact]
    public void An_upload_at_32_fps_is_interpolated_like_its_new_clips_which_stay_the_16_fps_renders_frames()
    {
        const int uploaded = 32;
        var upload = Gradient(uploaded, shift: 5);
        var source = new RenderContinuation(Path.Combine(directory, "upload-source"), new UploadInMemory(upload));
        var at16 = new RecordingRenderOutput(new UploadInMemory(upload).Source);
        Render(Input("upload16", Spec(uploaded + 76), source), at16);
        var whole = new RecordingRenderOutput();
        var outcome = Render(Input("upload32", Spec(uploaded + 76) with { Fps = 32 }, source), whole);

        Assert.Equal(2 * (uploaded + 76) - 1, outcome.Frames);
        Assert.Equal(2 * uploaded - 1, whole.Clips[0].Count);
        Assert.Equal(2 * 76, whole.Clips[1].Count);
        for (int i = 0; i < uploaded; i++) Assert.Equal(upload.Frame(i).ToArray(), whole.Clips[0].Frame(2 * i).ToArray());
        // clip 1 opens with the middle frame between the upload's last frame and its own first, then its 16 fps frames
        for (int i = 0; i < 76; i++) Assert.Equal(at16.Clips[1].Frame(i).ToArray(), whole.Clips[1].Frame(2 * i + 1).ToArray());

        // stopped after the upload was adopted, resumed in the same work directory: the same frames
        var resumed = new RecordingRenderOutput();
        var input = Input("upload32-resumed", Spec(uploaded + 76) with { Fps = 32 }, source);
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Render(input, resumed, p => { if (p.Clip == 1) stop.Cancel(); }, stop.Token));
        Assert.Equal([0], resumed.Clips.Keys);
        Render(input, resumed);
        Assert.Equal(whole.Video, resumed.Video);
    }

    [Theory]
    [InlineData("quality", "t2v-quality")]
    [InlineData("fast", "t2v-fast")]
    public void Text_to_video_hands_its_anchor_frame_to_the_output(string tier, string mode)
    {
        var output = new RecordingRenderOutput();
        var outcome = Render(Input("t", Spec(81, image: false, tier)) with { AnchorImage = null }, output);

        var anchor = Assert.Single(output.AnchorFrames);
        Assert.Equal((1, Width, Height), (anchor.Count, anchor.Width, anchor.Height));
        Assert.Equal((mode, 81), (outcome.Mode, output.Clips[0].Count));
    }

    [Fact]
    public void An_anchor_image_of_the_wrong_size_is_refused()
    {
        var input = Input("w", Spec(81)) with { AnchorImage = () => new RgbFrames(Width + 16, Height, new byte[(Width + 16) * Height * 3]) };

        var error = Assert.Throws<InvalidOperationException>(() => Render(input, new RecordingRenderOutput()));

        Assert.Contains($"{Width}×{Height}", error.Message);
    }

    sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
