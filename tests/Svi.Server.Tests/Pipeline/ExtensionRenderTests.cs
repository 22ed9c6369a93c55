using Svi.Server.Tests.Media;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// Extending a finished generation on stand-in models with the real ffmpeg: the continuation must be the same video as
/// an uninterrupted run of all the clips (frames compared exactly, after decoding, and the stored motion latents).
/// </summary>
public sealed class ExtensionRenderTests : FfmpegScratchTests
{
    const int FirstClip = 81, PerContinuation = 76;

    static GenerationSpec Spec(int frames) => TestSpecs.Tiny(frames / 16.0, 32, 16);

    string AnchorImage()
    {
        string path = Path.Combine(Scratch, "input.png");
        var gradient = FfmpegVideoMediaTests.Gradient(48, 40, 1);
        Server.Media.AnchorImage.SavePng(gradient.Rgb24.Span, 48, 40, path);
        return path;
    }

    SviVideoRenderer Renderer() => new(new FixedModelInventory(), new StandInModelLoader(), Media, new SviDefaults());

    async Task<RenderResult> RenderAsync(string id, GenerationSpec spec, string? continueFrom = null) =>
        await Renderer().RenderAsync(RenderJobs.For(id, spec, Path.Combine(Scratch, id), Path.Combine(Scratch, "input.png"), continueFrom),
            new Progress<RenderProgress>(), CancellationToken.None);

    /// <summary>What the API does when it accepts an extension: copy the source's state into the new generation's folder.</summary>
    string CopySource(string sourceId, string extensionId)
    {
        var destination = new WorkDirectory(Path.Combine(Scratch, extensionId)).Source;
        Assert.True(ExtensionSource.CopySourceState(new WorkDirectory(Path.Combine(Scratch, sourceId)), destination));
        return destination.Path;
    }

    [Theory]
    // an untrimmed 2-clip source extended by 1 clip
    [InlineData(FirstClip + PerContinuation, 1)]
    // a 3-clip source trimmed to 160 frames (its last clip kept 3 of 76 frames) extended by 2 clips
    [InlineData(160, 2)]
    public async Task Extending_a_finished_video_by_k_clips_yields_the_frames_of_an_uninterrupted_run(int sourceFrames, int k)
    {
        string image = AnchorImage();
        var source = await RenderAsync("source", Spec(sourceFrames));
        int n = ClipPlanner.ForDuration(sourceFrames / 16.0).Clips;
        int stitched = FirstClip + (n - 1) * PerContinuation;
        int total = stitched + PerContinuation * k;

        var extension = await RenderAsync("extension", Spec(total), CopySource("source", "extension"));
        var uninterrupted = await RenderAsync("whole", Spec(total));

        var extended = await Media.ReadFramesAsync(extension.VideoPath, null, null, null, CancellationToken.None);
        var whole = await Media.ReadFramesAsync(uninterrupted.VideoPath, null, null, null, CancellationToken.None);
        // the source's clip frames (before its trim) plus 76 per added clip
        Assert.Equal(stitched + 76 * k, extended.FrameCount);
        Assert.Equal(whole.FrameCount, extended.FrameCount);
        Assert.True(whole.Rgb24.Span.SequenceEqual(extended.Rgb24.Span), "the extension's frames differ from the uninterrupted run's");
        Assert.Equal(await File.ReadAllBytesAsync(uninterrupted.VideoPath), await File.ReadAllBytesAsync(extension.VideoPath));

        // the source's own frames are the extension's first frames
        var sourceFramesDecoded = await Media.ReadFramesAsync(source.VideoPath, null, null, null, CancellationToken.None);
        Assert.Equal(sourceFrames, sourceFramesDecoded.FrameCount);
        Assert.True(sourceFramesDecoded.Rgb24.Span.SequenceEqual(extended.Rgb24.Span[..sourceFramesDecoded.Rgb24.Length]));

        // and it leaves the same raw motion latents, so it can be extended again
        using var a = new SviCheckpointStore(Path.Combine(Scratch, "extension", "checkpoint")).LoadMotionLatents(TorchSharp.torch.CPU);
        using var b = new SviCheckpointStore(Path.Combine(Scratch, "whole", "checkpoint")).LoadMotionLatents(TorchSharp.torch.CPU);
        Assert.True(a.eq(b).all().item<bool>(), "the motion latents differ");
    }

    [Fact]
    public async Task An_extension_without_the_sources_stored_latents_fails_with_a_clear_message()
    {
        string image = AnchorImage();
        await RenderAsync("source", Spec(FirstClip));
        string copy = CopySource("source", "extension");
        File.Delete(Path.Combine(copy, "checkpoint", "anchor_latent.safetensors"));
        var error = await Assert.ThrowsAsync<RenderFailedException>(() => RenderAsync("extension", Spec(FirstClip + 76), copy));
        Assert.Equal("source_state_missing", error.Code);
        Assert.Contains("anchor latent", error.Message);
    }

    [Fact]
    public void A_generation_without_stored_clip_state_cannot_be_copied_as_a_source()
    {
        Directory.CreateDirectory(Path.Combine(Scratch, "empty"));
        Assert.False(ExtensionSource.CopySourceState(new WorkDirectory(Path.Combine(Scratch, "empty")), new WorkDirectory(Path.Combine(Scratch, "x")).Source));
    }

    [Fact]
    public async Task An_uploaded_video_continues_from_the_vae_encoding_of_its_last_five_frames_after_its_own_frames()
    {
        string source = Path.Combine(Scratch, "upload", "source");
        Directory.CreateDirectory(source);
        string upload = new WorkDirectory(source).Upload;
        await Support.FfmpegTestRenderer.RunFfmpegAsync(
            $"-y -v error -f lavfi -i testsrc=size=64x48:rate=24 -t 2 -pix_fmt yuv420p -c:v libx264 -preset ultrafast -f mp4 \"{upload}\"",
            CancellationToken.None);
        int frames = await Media.CountUploadFramesAsync(upload, CancellationToken.None);
        Assert.Equal(32, frames);
        File.WriteAllText(new WorkDirectory(source).UploadState,
            System.Text.Json.JsonSerializer.Serialize(new UploadState(frames)));
        string anchor = Path.Combine(Scratch, "upload", "input.png");
        await Media.WriteUploadFirstFramePngAsync(upload, 32, 16, anchor, CancellationToken.None);
        var spec = Spec(frames + 76);
        var job = RenderJobs.For("upload", spec, Path.Combine(Scratch, "upload"), anchor, source);

        // stop as soon as the first new clip starts: the checkpoint then holds the motion latents made from the upload
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Renderer().RenderAsync(job, new InlineProgress(p =>
        {
            if (p.Clip == 1) stop.Cancel();
        }), stop.Token));
        string part = Path.Combine(job.WorkDirectory, "parts", "clip0000.ts");
        var tail = await Media.ReadFrameRangeAsync(part, 32, 16, frames - 5, 5, CancellationToken.None);
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            var pixels = TorchSharp.torch.from_array(tail.Rgb24.ToArray()).reshape(5, 16, 32, 3);
            var video = (pixels.to(TorchSharp.torch.ScalarType.Float32) / 127.5 - 1).permute(3, 0, 1, 2).unsqueeze(0);
            var expected = new StandInVae(16, 8).Encode(video)[.., .., TorchSharp.torch.TensorIndex.Slice(1, 2)];
            var seeded = new SviCheckpointStore(Path.Combine(job.WorkDirectory, "checkpoint")).LoadMotionLatents(TorchSharp.torch.CPU);
            Assert.True(seeded.eq(expected).all().item<bool>(), "the motion latents are not the encoding of the upload's last 5 frames");
        }

        // resumed, it finishes: the upload's 32 frames (as encoded in part 0), then 76 new ones
        var result = await Renderer().RenderAsync(job, new InlineProgress(_ => { }), CancellationToken.None);
        Assert.Equal(frames + 76, result.Frames);
        var output = await Media.ReadFramesAsync(result.VideoPath, null, null, null, CancellationToken.None);
        var start = await Media.ReadFramesAsync(part, null, null, null, CancellationToken.None);
        Assert.Equal(frames + 76, output.FrameCount);
        Assert.True(start.Rgb24.Span.SequenceEqual(output.Rgb24.Span[..start.Rgb24.Length]));
    }

    sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
