using Svi.Inference.Interpolation;
using Svi.Inference.Rendering;
using Svi.Inference.Tests.Rendering;

namespace Svi.Inference.Tests.Interpolation;

/// <summary>The 32 fps schedule, seams, resume and extension, through the real ONNX Runtime with the tiny stand-in graph.</summary>
public sealed class InterpolatingFrameSinkTests : IDisposable
{
    const int Width = 20, Height = 12;
    readonly TempDir dir = new();
    readonly RifeInterpolator interpolator;

    public InterpolatingFrameSinkTests() =>
        interpolator = RifeInterpolator.Open(LinearBlendRifeGraph.Write(dir.File("rife.onnx")), preferCuda: false);

    public void Dispose()
    {
        interpolator.Dispose();
        dir.Dispose();
    }

    sealed class RecordingSink : IFrameSink
    {
        public List<(int Clip, RgbFrames Frames)> Clips { get; } = [];
        public void Accept(int clip, RgbFrames frames) => Clips.Add((clip, frames));
        public byte[] Video => Clips.SelectMany(c => c.Frames.Pixels).ToArray();
    }

    static RgbFrames Clip(int seed, int frames)
    {
        var pixels = new byte[frames * Width * Height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbFrames(Width, Height, pixels);
    }

    static readonly RgbFrames[] Clips = [Clip(1, 5), Clip(2, 4), Clip(3, 4), Clip(4, 3)];

    RecordingSink Render(string work, int fromClip, int toClip)
    {
        var inner = new RecordingSink();
        var sink = new InterpolatingFrameSink(inner, interpolator, new SeamFrames(new WorkDirectory(work).SeamFrames));
        for (int clip = fromClip; clip < toClip; clip++) sink.Accept(clip, Clips[clip]);
        return inner;
    }

    [Fact]
    public void N_frames_become_2N_minus_1_with_the_originals_on_even_frames()
    {
        var video = Render(dir.File("run"), 0, Clips.Length);

        // 5 + 4 + 4 + 3 = 16 frames in, 2·16 − 1 out
        Assert.Equal(31, video.Clips.Sum(c => c.Frames.Count));
        Assert.Equal(2 * Clips[0].Count - 1, video.Clips[0].Frames.Count);
        Assert.All(video.Clips.Skip(1), c => Assert.Equal(2 * Clips[c.Clip].Count, c.Frames.Count));
        var originals = Clips.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => c.Frame(i).ToArray())).ToList();
        var output = new RgbFrames(Width, Height, video.Video);
        for (int i = 0; i < originals.Count; i++) Assert.Equal(originals[i], output.Frame(2 * i).ToArray());
        for (int i = 0; i + 1 < originals.Count; i++)
            Assert.Equal(interpolator.Middle(originals[i], originals[i + 1], Width, Height), output.Frame(2 * i + 1).ToArray());
    }

    [Fact]
    public void The_seam_frame_pairs_the_last_frame_of_clip_k_with_the_first_of_clip_k_plus_1()
    {
        var video = Render(dir.File("run"), 0, 2);
        var seam = interpolator.Middle(Clips[0].Frame(Clips[0].Count - 1).Span, Clips[1].Frame(0).Span, Width, Height);
        Assert.Equal(seam, video.Clips[1].Frames.Frame(0).ToArray());
        Assert.Equal(Clips[1].Frame(0).ToArray(), video.Clips[1].Frames.Frame(1).ToArray());
    }

    [Fact]
    public void A_resumed_run_gives_the_same_bytes_as_an_uninterrupted_one()
    {
        var whole = Render(dir.File("whole"), 0, Clips.Length);

        // A new process after clip 1 finished: only the work directory carries over.
        var before = Render(dir.File("resumed"), 0, 2);
        var after = Render(dir.File("resumed"), 2, Clips.Length);

        Assert.Equal(whole.Video, before.Video.Concat(after.Video).ToArray());
    }

    [Fact]
    public void A_clip_rendered_again_after_a_crash_before_its_checkpoint_gives_the_same_bytes()
    {
        var whole = Render(dir.File("whole"), 0, Clips.Length);
        var first = Render(dir.File("crashed"), 0, 3);
        var again = Render(dir.File("crashed"), 2, Clips.Length);   // clip 2 persisted its seam, then the job died
        Assert.Equal(whole.Video, first.Video.Take(first.Video.Length - again.Clips[0].Frames.Pixels.Length)
            .Concat(again.Video).ToArray());
    }

    [Fact]
    public void An_extension_from_the_copied_seams_gives_the_same_bytes_as_a_longer_run()
    {
        var whole = Render(dir.File("whole"), 0, Clips.Length);
        var source = Render(dir.File("source"), 0, 2);
        var seams = new WorkDirectory(dir.File("source")).SeamFrames;
        var copy = new WorkDirectory(dir.File("extension")).SeamFrames;
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(seams)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));

        var extension = Render(dir.File("extension"), 2, Clips.Length);

        Assert.Equal(whole.Video, source.Video.Concat(extension.Video).ToArray());
    }

    [Fact]
    public void A_later_clip_without_its_seam_frame_fails_naming_the_missing_file()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Render(dir.File("empty"), 1, 2));
        Assert.Contains("clip0000.rgb", error.Message);
    }

    [Fact]
    public void Only_the_last_two_seams_are_kept()
    {
        Render(dir.File("run"), 0, Clips.Length);
        var kept = Directory.EnumerateFiles(new WorkDirectory(dir.File("run")).SeamFrames).Select(Path.GetFileName).Order();
        Assert.Equal(["clip0002.rgb", "clip0003.rgb"], kept);
    }

    [Fact]
    public void A_clip_handed_over_in_pieces_is_doubled_as_if_whole_and_its_last_frame_is_the_seam_to_clip_1()
    {
        var upload = Clip(5, 7);
        var inner = new RecordingRenderOutput();
        var output = new InterpolatingRenderOutput(inner, interpolator, new SeamFrames(new WorkDirectory(dir.File("upload")).SeamFrames));

        output.AcceptInPieces(0, Width, Height, new UploadInMemory(upload) { PieceFrames = 3 }.Pieces(81));

        Assert.Equal(2 * 7 - 1, inner.Clips[0].Count);
        Assert.Equal(FrameDoubling.Double(upload, null, interpolator).Pixels, inner.Clips[0].Pixels);
        output.Accept(1, Clips[1]);
        Assert.Equal(interpolator.Middle(upload.Frame(6).Span, Clips[1].Frame(0).Span, Width, Height), inner.Clips[1].Frame(0).ToArray());
    }
}
