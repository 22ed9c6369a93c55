using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Inference.Sampling;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Conformance;

/// <summary>
/// Sets <c>svi_pipeline</c> and <c>svi_pipeline_distilled</c>: the production clip loop (<see cref="SviPipeline"/>) on
/// the set's experts, LoRAs (the SVI LoRA, plus a distill LoRA per expert where the set names one) and VAE, loaded by
/// the production loaders, with the set's noise and text contexts fed through the pipeline's two seams.
/// Checks the schedule, the anchor latent, and per clip y, every trajectory step, the final latent and the decoded
/// clip, then the stitched frame count and pixels (±1 level). Every number comes from the set.
/// </summary>
public sealed class SviPipelineConformance : IConformanceRunner
{
    public string Component => "svi_pipeline";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        var config = set.Config;
        var files = config.GetProperty("files");
        string File(string role) => set.FilePath(files.GetProperty(role).GetString()!);
        int height = config.GetProperty("height").GetInt32(), width = config.GetProperty("width").GetInt32();
        int m = config.GetProperty("num_motion_latent").GetInt32();
        var plan = ClipPlanner.ForClips(config.GetProperty("clips").GetInt32(), m, config.GetProperty("frames_per_clip").GetInt32());
        var sampling = new SviSampling(config.GetProperty("steps").GetInt32(), config.GetProperty("shift").GetDouble(),
            config.GetProperty("boundary").GetDouble(), config.GetProperty("cfg_scale").GetDouble());
        double strength = config.TryGetProperty("lora_strength", out var s) ? s.GetDouble() : 1.0;
        int overlap = config.GetProperty("overlap_frames").GetInt32();
        report.Exact("overlap_frames", plan.OverlapFrames == overlap, $"ours {plan.OverlapFrames}, set {overlap}");

        var schedule = new EulerFlowMatchScheduler(sampling.Steps, sampling.Shift);
        report.Compare("timesteps", tensor(schedule.Timesteps.ToArray()), set.Tensor("timesteps"));
        report.Compare("sigmas", tensor(schedule.Sigmas.ToArray()), set.Tensor("sigmas"));

        var ditConfig = WanConfig.FromJson(config.GetProperty("dit"), set.FilePath("config.json"));
        // The distilled sets add a LightX2V-style distill LoRA per expert at its own strength; merges are sums, so the
        // order does not matter (golden README, svi_pipeline_distilled).
        IEnumerable<(string, double)> Loras(string expert)
        {
            yield return (File($"lora_{expert}"), strength);
            if (files.TryGetProperty($"distill_{expert}", out _))
                yield return (File($"distill_{expert}"), config.GetProperty($"distill_strength_{expert}").GetDouble());
        }
        using var high = SviModelLoader.LoadExpert(ditConfig, File("dit_high"), Loras("high"), ScalarType.Float32, CPU);
        using var low = SviModelLoader.LoadExpert(ditConfig, File("dit_low"), Loras("low"), ScalarType.Float32, CPU);
        using var vae = WanVae.Load(File("vae"), WanVaeConfig.FromJson(config.GetProperty("vae")));

        var image = set.Tensor("anchor_image");
        if (image.shape[0] != height || image.shape[1] != width)
            throw new InvalidDataException($"{set.Name}: anchor_image is [{string.Join(',', image.shape)}], config says {height}×{width}");
        Tensor anchorLatent;
        using (no_grad()) anchorLatent = vae.Encode(ClipFrames.ImageToVideo(image, ScalarType.Float32, CPU));
        report.Compare("anchor_latent", anchorLatent, set.Tensor("anchor_latent").unsqueeze(0));

        var contexts = new GivenClipContexts(
            Enumerable.Range(0, plan.Clips).Select(k => set.Tensor($"clip{k}.context")).ToList(),
            set.Has("negative_context") ? set.Tensor("negative_context") : null);
        var observer = new ReferenceObserver(set, report);
        var pipeline = new SviPipeline(new ExpertPair(new WanVelocityModel(high), new WanVelocityModel(low)), vae,
            new GivenNoiseSource(set), ScalarType.Float32, CPU)
        { Observer = observer };
        var sink = new FrameCollector();
        using (no_grad())
            pipeline.Run(new SviRun(plan, sampling, 0, anchorLatent, contexts), sink, null, set.Name, null, CancellationToken.None);

        var reference = set.Tensor("frames");
        var frames = cat(sink.Frames, 0);
        bool sameCount = frames.shape[0] == reference.shape[0];
        report.Exact("frame_count", sameCount, $"ours {frames.shape[0]}, reference {reference.shape[0]}");
        if (sameCount && frames.shape.SequenceEqual(reference.shape))
        {
            int levels = (frames.to(ScalarType.Int32) - reference.to(ScalarType.Int32)).abs().max().item<int>();
            report.Exact("frames", levels <= 1, $"largest pixel difference {levels} level(s), at most 1 allowed", levels);
        }
        else
            report.Exact("frames", false, $"shape [{string.Join(',', frames.shape)}] but the reference has [{string.Join(',', reference.shape)}]");
    }

    /// <summary>The set's <c>clip{k}.noise</c> [z, T, h, w] instead of drawn noise.</summary>
    sealed class GivenNoiseSource(ConformanceSet set) : INoiseSource
    {
        public Tensor Noise(int clip, long seed, long[] shape, ScalarType dtype, Device device)
        {
            var noise = set.Tensor($"clip{clip}.noise").unsqueeze(0);
            if (!noise.shape.SequenceEqual(shape))
                throw new InvalidDataException($"clip{clip}.noise is [{string.Join(',', noise.shape)}], the clip needs [{string.Join(',', shape)}]");
            return noise.to(dtype, device);
        }
    }

    sealed class ReferenceObserver(ConformanceSet set, ConformanceReport report) : ISviObserver
    {
        public void Conditioning(int clip, Tensor y) =>
            report.Compare($"clip{clip}.y", y, set.Tensor($"clip{clip}.y").unsqueeze(0));

        public void Trajectory(int clip, int step, Tensor x)
        {
            using var scope = NewDisposeScope();
            var trajectory = set.Tensor($"clip{clip}.trajectory");
            report.Compare($"clip{clip}.trajectory[{step}]", x, trajectory[step].unsqueeze(0));
        }

        public void Finished(int clip, Tensor latent, Tensor decoded)
        {
            report.Compare($"clip{clip}.latent", latent, set.Tensor($"clip{clip}.latent").unsqueeze(0));
            report.Compare($"clip{clip}.decoded", decoded, set.Tensor($"clip{clip}.decoded").unsqueeze(0));
        }
    }

    sealed class FrameCollector : IFrameSink
    {
        public List<Tensor> Frames { get; } = [];
        public void Accept(int clip, RgbFrames frames) => Frames.Add(ClipFrames.FromBytes(frames).MoveToOuterDisposeScope());
    }
}
