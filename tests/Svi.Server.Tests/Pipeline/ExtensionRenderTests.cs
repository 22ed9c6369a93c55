using Svi.Inference.Svi;
using Svi.Server.Jobs;
using Svi.Server.Media;
using Svi.Server.Tests.Media;
using Svi.Testing;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// Extending a finished generation on stand-in models with the real ffmpeg: the continuation must be the same video as
/// an uninterrupted run of all the clips (frames compared exactly, after decoding, and the stored motion latents).
/// </summary>
public sealed class ExtensionRenderTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-extend-").FullName;
    readonly FfmpegVideoMedia media = new();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    const int FirstClip = 81, PerContinuation = 76;

    GenerationSpec Spec(int frames, string image) => new()
    {
        Model = "svi-2-0-pro", Prompts = ["a boat", "the boat turns"], NegativePrompt = "blurry",
        Width = 32, Height = 16, DurationSeconds = frames / 16.0, Cfg = 1.5, Seed = 1234, AnchorImagePath = image, Steps = 2,
    };

    string AnchorImage()
    {
        string path = Path.Combine(directory, "input.png");
        var gradient = FfmpegVideoMediaTests.Gradient(48, 40, 1);
        Server.Media.AnchorImage.SavePng(gradient.Rgb24.Span, 48, 40, path);
        return path;
    }

    SviVideoRenderer Renderer() => new(new FixedModelInventory(), new StandInModelLoader(), media, new SviDefaults());

    async Task<RenderResult> RenderAsync(string id, GenerationSpec spec, string? continueFrom = null) =>
        await Renderer().RenderAsync(new RenderJob(id, spec, Path.Combine(directory, id), continueFrom),
            new Progress<RenderProgress>(), CancellationToken.None);

    /// <summary>What the API does when it accepts an extension: copy the source's state into the new generation's folder.</summary>
    string CopySource(string sourceId, string extensionId)
    {
        string destination = Path.Combine(directory, extensionId, "source");
        Assert.True(ExtensionStart.CopySourceState(Path.Combine(directory, sourceId), destination));
        return destination;
    }

    [Theory]
    // an untrimmed 2-clip source extended by 1 clip
    [InlineData(FirstClip + PerContinuation, 1)]
    // a 3-clip source trimmed to 160 frames (its last clip kept 3 of 76 frames) extended by 2 clips
    [InlineData(160, 2)]
    public async Task Extending_a_finished_video_by_k_clips_yields_the_frames_of_an_uninterrupted_run(int sourceFrames, int k)
    {
        string image = AnchorImage();
        var source = await RenderAsync("source", Spec(sourceFrames, image));
        int n = ClipPlanner.ForDuration(sourceFrames / 16.0).Clips;
        int stitched = FirstClip + (n - 1) * PerContinuation;
        int total = stitched + PerContinuation * k;

        var extension = await RenderAsync("extension", Spec(total, image), CopySource("source", "extension"));
        var uninterrupted = await RenderAsync("whole", Spec(total, image));

        var extended = await media.ReadFramesAsync(extension.VideoPath, null, null, null, CancellationToken.None);
        var whole = await media.ReadFramesAsync(uninterrupted.VideoPath, null, null, null, CancellationToken.None);
        // the source's clip frames (before its trim) plus 76 per added clip
        Assert.Equal(stitched + 76 * k, extended.FrameCount);
        Assert.Equal(whole.FrameCount, extended.FrameCount);
        Assert.True(whole.Rgb24.Span.SequenceEqual(extended.Rgb24.Span), "the extension's frames differ from the uninterrupted run's");
        Assert.Equal(await File.ReadAllBytesAsync(uninterrupted.VideoPath), await File.ReadAllBytesAsync(extension.VideoPath));

        // the source's own frames are the extension's first frames
        var sourceFramesDecoded = await media.ReadFramesAsync(source.VideoPath, null, null, null, CancellationToken.None);
        Assert.Equal(sourceFrames, sourceFramesDecoded.FrameCount);
        Assert.True(sourceFramesDecoded.Rgb24.Span.SequenceEqual(extended.Rgb24.Span[..sourceFramesDecoded.Rgb24.Length]));

        // and it leaves the same raw motion latents, so it can be extended again
        using var a = new SviCheckpointStore(Path.Combine(directory, "extension", "checkpoint")).LoadMotionLatents(TorchSharp.torch.CPU);
        using var b = new SviCheckpointStore(Path.Combine(directory, "whole", "checkpoint")).LoadMotionLatents(TorchSharp.torch.CPU);
        Assert.True(a.eq(b).all().item<bool>(), "the motion latents differ");
    }

    [Fact]
    public async Task An_extension_without_the_sources_stored_latents_fails_with_a_clear_message()
    {
        string image = AnchorImage();
        await RenderAsync("source", Spec(FirstClip, image));
        string copy = CopySource("source", "extension");
        File.Delete(Path.Combine(copy, "checkpoint", "anchor_latent.safetensors"));
        var error = await Assert.ThrowsAsync<RenderFailedException>(() => RenderAsync("extension", Spec(FirstClip + 76, image), copy));
        Assert.Equal("source_state_missing", error.Code);
        Assert.Contains("anchor latent", error.Message);
    }

    [Fact]
    public void A_generation_without_stored_clip_state_cannot_be_copied_as_a_source()
    {
        Directory.CreateDirectory(Path.Combine(directory, "empty"));
        Assert.False(ExtensionStart.CopySourceState(Path.Combine(directory, "empty"), Path.Combine(directory, "x", "source")));
    }
}
