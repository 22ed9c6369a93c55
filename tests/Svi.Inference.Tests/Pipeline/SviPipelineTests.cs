using Svi.Inference.Tests.Kernels;
using TorchSharp;

namespace Svi.Inference.Tests.Pipeline;

// Runs alone: one test measures this process's resident memory, which concurrent tests would disturb.
[Collection(nameof(ProcessMemory))]
public sealed class SviPipelineTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-pipeline-").FullName;
    readonly StandInPipeline models = new();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static readonly SviSampling Sampling = new(Steps: 4, Shift: 5, Boundary: 0.875, Cfg: 4);

    [Fact]
    public void Clips_are_stitched_and_the_last_one_trimmed_to_the_requested_duration()
    {
        var plan = ClipPlanner.ForDuration(12.5, 1); // 200 frames: 81 + 76 + 43
        var sink = new RecordingSink();
        using var anchor = models.AnchorLatent();
        models.Create().Run(models.Run(plan, Sampling, 5, anchor, ["p"]), sink, null, "run", null, CancellationToken.None);

        Assert.Equal([81L, 76L, 43L], sink.Clips.Select(c => c.Count));
        Assert.Equal(200 * 16 * 16 * 3, sink.Video.Length);
    }

    [Fact]
    public void Continuation_drops_the_anchor_frame_and_the_re_rendered_motion_frames()
    {
        var observer = new CapturingObserver();
        var sink = new RecordingSink();
        var plan = ClipPlanner.ForClips(2, 2);
        using var anchor = models.AnchorLatent();
        models.Create(observer).Run(models.Run(plan, Sampling, 5, anchor, ["p"]), sink, null, "run", null, CancellationToken.None);

        // the sink's clip 1 frames are the decoded clip 1 without its first 1 + 4·2 = 9 frames
        using var expected = ClipFrames.ToRgb24(observer.Decoded[1])[9..];
        Assert.Equal(expected.data<byte>().ToArray(), sink.Clips[1].Frames);
        Assert.Equal(72, sink.Clips[1].Count);
    }

    [Fact]
    public void Continuation_is_conditioned_on_the_previous_clips_raw_final_latent()
    {
        var observer = new CapturingObserver();
        var plan = ClipPlanner.ForClips(2, 2);
        using var anchor = models.AnchorLatent();
        models.Create(observer).Run(models.Run(plan, Sampling, 5, anchor, ["p"]), new RecordingSink(), null, "run", null,
            CancellationToken.None);

        var y1 = observer.Y[1];
        TensorAssert.Equal(observer.Latents[0][.., .., 19..21], y1[.., 4..20, 1..3]);
        TensorAssert.Equal(anchor, y1[.., 4..20, ..1]);
        TensorAssert.Equal(observer.Latents[0], observer.Trajectories[0][^1]);
    }

    [Fact]
    public void Each_clip_draws_its_noise_from_its_own_seed()
    {
        var observer = new CapturingObserver();
        using var anchor = models.AnchorLatent();
        models.Create(observer).Run(models.Run(ClipPlanner.ForClips(2, 1), Sampling, 100, anchor, ["p"]), new RecordingSink(),
            null, "run", null, CancellationToken.None);

        using var expected = new SeededNoiseSource().Noise(1, 142, [1, 16, 21, 2, 2], ScalarType.Float32, CPU);
        TensorAssert.Equal(expected, observer.Trajectories[1][0]);
        TensorAssert.NotEqual(observer.Trajectories[0][0], observer.Trajectories[1][0]);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(4.0, 2)]
    public void Guidance_one_skips_the_negative_pass_and_experts_switch_at_the_boundary(double cfg, int passes)
    {
        using var anchor = models.AnchorLatent();
        // 10 steps, shift 5: t = 1000, 978, 952.4, 921.1, 882.4, 833.3, … → 5 high-noise steps at boundary 0.875
        var sampling = new SviSampling(10, 5, 0.875, cfg);
        models.Create().Run(models.Run(ClipPlanner.ForClips(1, 1), sampling, 0, anchor, ["p"]), new RecordingSink(), null, "run",
            null, CancellationToken.None);
        Assert.Equal(5 * passes, models.High.Calls);
        Assert.Equal(5 * passes, models.Low.Calls);
    }

    [Fact]
    public void A_run_that_crashed_after_clip_k_resumes_from_its_checkpoint_and_gives_the_same_frames()
    {
        var plan = ClipPlanner.ForClips(4, 1);
        using var anchor = models.AnchorLatent();
        var uninterrupted = new RecordingSink();
        models.Create().Run(models.Run(plan, Sampling, 9, anchor, ["a", "b"]), uninterrupted, null, "run", null, CancellationToken.None);

        var store = new SviCheckpointStore(Path.Combine(directory, "checkpoint"));
        var crashed = new RecordingSink { BeforeAccept = clip => { if (clip == 2) throw new IOException("simulated crash"); } };
        Assert.Throws<IOException>(() =>
            models.Create().Run(models.Run(plan, Sampling, 9, anchor, ["a", "b"]), crashed, store, "run", null, CancellationToken.None));
        Assert.Equal(2, store.Load("run")!.FinishedClips);
        Assert.Equal(157, store.Load("run")!.FramesWritten);

        var resumed = new RecordingSink();
        models.Create().Run(models.Run(plan, Sampling, 9, anchor, ["a", "b"]), resumed, store, "run", null, CancellationToken.None);

        Assert.Equal([2, 3], resumed.Clips.Select(c => c.Clip));
        Assert.Equal(uninterrupted.Video, crashed.Video.Concat(resumed.Video).ToArray());
        Assert.Null(store.Load("another run"));
    }

    [Fact]
    public void Cancel_mid_clip_stops_before_the_next_step_and_frees_the_clips_tensors()
    {
        using var anchor = models.AnchorLatent();
        var run = models.Run(ClipPlanner.ForClips(3, 1), Sampling, 1, anchor, ["p"]);
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(p => { if (p is { Clip: 1, Step: 2 }) cancellation.Cancel(); });
        var sink = new RecordingSink();
        long liveBefore = LiveTensors();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            models.Create().Run(run, sink, null, "run", progress, cancellation.Token));

        Assert.Single(sink.Clips);
        // clip 0: 4 steps × 2 passes; clip 1: 2 steps × 2 passes, then nothing more
        Assert.Equal(12, models.High.Calls + models.Low.Calls);
        ((IDisposable)run.Contexts).Dispose();
        Assert.Equal(liveBefore, LiveTensors());
    }

    [Fact]
    public void Memory_after_clip_24_equals_memory_after_clip_2()
    {
        // Stated margin: the same number of live tensors exactly, and at most 16 MiB more resident memory
        // (one clip here allocates ≈ 0.5 MiB of tensors, so a leak of one clip per clip would exceed it by clip 24).
        using var anchor = models.AnchorLatent();
        var plan = ClipPlanner.ForClips(24, 1);
        var samples = new Dictionary<int, (long Tensors, long Bytes)>();
        var sink = new RecordingSink
        {
            BeforeAccept = clip =>
            {
                if (clip is not (1 or 23)) return;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                samples[clip + 1] = (LiveTensors(), process.WorkingSet64);
            },
        };
        var run = models.Run(plan, new SviSampling(2, 5, 0.875, 4), 1, anchor, ["p"]);
        models.Create().Run(run, sink, null, "run", null, CancellationToken.None);

        Assert.Equal(samples[2].Tensors, samples[24].Tensors);
        Assert.InRange(samples[24].Bytes - samples[2].Bytes, long.MinValue, 16L << 20);
        ((IDisposable)run.Contexts).Dispose();
    }

    static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    sealed class InlineProgress(Action<SviProgress> report) : IProgress<SviProgress>
    {
        public void Report(SviProgress value) => report(value);
    }

    sealed class CapturingObserver : ISviObserver
    {
        public Dictionary<int, Tensor> Y { get; } = [];
        public Dictionary<int, List<Tensor>> Trajectories { get; } = [];
        public Dictionary<int, Tensor> Latents { get; } = [];
        public Dictionary<int, Tensor> Decoded { get; } = [];

        public void Conditioning(int clip, Tensor y) => Y[clip] = Keep(y);
        public void Trajectory(int clip, int step, Tensor x)
        {
            if (!Trajectories.TryGetValue(clip, out var list)) Trajectories[clip] = list = [];
            list.Add(Keep(x));
        }
        public void Finished(int clip, Tensor latent, Tensor decoded)
        {
            Latents[clip] = Keep(latent);
            Decoded[clip] = Keep(decoded);
        }

        static Tensor Keep(Tensor t) => t.detach().clone().DetachFromDisposeScope();
    }
}
