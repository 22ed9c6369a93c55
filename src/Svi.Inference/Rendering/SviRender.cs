using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Inference.Rendering;

/// <summary>
/// Renders a generation with the SVI 2.0 Pro pipeline: loads the mode's models, makes (text-to-video) or encodes
/// (image-to-video) the anchor, starts an extension where its source finished, runs the clip loop into an
/// <see cref="IRenderOutput"/>, and resumes from the work directory's checkpoint when a job is retried.
/// </summary>
public sealed class SviRender(ISviModelLoader loader, SviDefaults defaults, INoiseSource? noise = null)
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext<SviRender>();
    readonly INoiseSource noise = noise ?? new SeededNoiseSource();

    /// <summary>
    /// Renders every clip of <paramref name="input"/> not yet finished into <paramref name="output"/>, from the
    /// installed <paramref name="files"/>. Throws <see cref="OperationCanceledException"/> when cancelled between steps
    /// and <see cref="RenderFailedException"/> for what the deployment or the request must change.
    /// </summary>
    public RenderOutcome Render(RenderInput input, ModelFiles files, IRenderOutput output, IProgress<RenderProgress> progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return RenderClips(input, files, output, progress, cancellationToken);
        }
        catch (Exception e) when (DeviceMemoryFailure(e) is { } failure)
        {
            throw failure;
        }
    }

    // Running out of GPU memory is fixed in the deployment, not the request: its own code, and what to change.
    static RenderFailedException? DeviceMemoryFailure(Exception e) => e switch
    {
        MemoryPlanUnfitException => new RenderFailedException("insufficient_gpu_memory", e.Message, e),
        _ when DeviceOutOfMemory.Is(e) => new RenderFailedException("gpu_out_of_memory",
            $"The GPU ran out of memory ({e.Message.Split('\n')[0].Trim()}). Force a smaller memory plan " +
            "(Svi:Inference:MemoryPlan=expert-swap or block-swap), raise Svi:Inference:ActivationReserveGiB, ask for a " +
            "smaller resolution, or install the fp8 variant (./svi models pull --variant fp8).", e),
        _ => null,
    };

    RenderOutcome RenderClips(RenderInput input, ModelFiles files, IRenderOutput output, IProgress<RenderProgress> progress,
        CancellationToken cancellationToken)
    {
        var spec = input.Spec;
        var choice = SviModelChoice.For(spec, defaults);
        var mode = choice.Mode;
        var plan = RenderContinuation.Plan(spec, input.ContinueFrom);
        var prompts = new PromptSchedule(spec.Prompts);
        var sampling = defaults.For(spec);
        var anchorSampling = mode == SviMode.ImageToVideo ? null : defaults.Anchor(mode);
        var stages = new RenderWork(plan, sampling, anchorSampling, choice.Interpolates);
        string runKey = RunKey(spec, choice, plan, sampling, anchorSampling);
        Directory.CreateDirectory(input.WorkDirectory);
        var work = new WorkDirectory(input.WorkDirectory);
        var checkpoints = new SviCheckpointStore(work.Checkpoint);
        var seams = new SeamFrames(work.SeamFrames);
        if (checkpoints.Load(runKey) is null)
        {
            checkpoints.Clear();
            output.Reset();
            seams.Clear();
        }
        Log.Information("Generation {GenerationId}: {Choice}, {Clips} clips, {Frames} frames, {Steps} steps per clip at cfg {Cfg}",
            input.GenerationId, choice.ToString(), plan.Clips, plan.OutputFrames, sampling.Steps, sampling.Cfg);

        // The RIFE file runs through ONNX Runtime, not the model loader: a 32 fps job shares the loaded models of a 16 fps one.
        if (choice.Interpolates) OnnxRuntimeAvailability.ThrowIfUnavailable();
        using var models = loader.Load(files, choice with { Interpolates = false });
        using var interpolator = choice.Interpolates
            ? RifeInterpolator.Open(files.Get(ModelRole.Interpolation)[0], preferCuda: models.Device.type == TorchSharp.DeviceType.CUDA)
            : null;
        void Entered(int clip, RenderStage stage) => progress.Report(stages.At(clip, stage));
        if (interpolator is not null)
            output = new InterpolatingRenderOutput(output, interpolator, seams, new StageSink(output, RenderStage.Encoding, Entered));
        var clipSink = new StageSink(output, interpolator is null ? RenderStage.Encoding : RenderStage.Interpolating, Entered);
        if (input.ContinueFrom is { UploadFrames: not null })
            progress.Report(stages.At(0, choice.Interpolates ? RenderStage.Interpolating : RenderStage.Encoding));
        if (input.ContinueFrom is { } source && checkpoints.Load(runKey) is null)
            ExtensionStart.Seed(source, checkpoints, output, interpolator is not null, plan, runKey, spec, models.Vae, models.DType,
                models.Device);
        using var contexts = new EncodedClipContexts(models.TextEncoder, prompts, spec.NegativePrompt);
        using var scope = NewDisposeScope();
        var anchorLatent = checkpoints.LoadAnchorLatent(models.Device);
        if (anchorLatent is null)
        {
            var image = mode == SviMode.ImageToVideo
                ? ClipFrames.FromBytes(AnchorImage(input))[0]
                : MakeAnchorFrame(models, contexts, anchorSampling!, spec, output,
                    new SynchronousProgress<int>(step => progress.Report(stages.AnchorStep(step))),
                    cancellationToken);
            using (no_grad())
                anchorLatent = models.Vae.Encode(ClipFrames.ImageToVideo(image, models.DType, models.Device));
            checkpoints.SaveAnchorLatent(anchorLatent);
        }

        var pipeline = new SviPipeline(models.Experts, models.Vae, noise, models.DType, models.Device)
        {
            Observer = new FinalClipKeeper(checkpoints, plan.Clips),
            BatchedGuidance = models.BatchedGuidance,
        };
        var run = new SviRun(plan, sampling, spec.Seed, anchorLatent, contexts);
        var clipProgress = new SynchronousProgress<SviProgress>(p => progress.Report(stages.At(p)));
        using (no_grad())
            pipeline.Run(run, clipSink, checkpoints, runKey, clipProgress, cancellationToken);
        int frames = RenderContinuation.OutputFrames(plan, input.ContinueFrom);
        return new RenderOutcome(plan.Clips, interpolator is null ? frames : FrameDoubling.DoubledCount(frames), mode.Name());
    }

    static RgbFrames AnchorImage(RenderInput input)
    {
        var image = input.AnchorImage?.Invoke()
            ?? throw new InvalidOperationException("an image-to-video render was given no anchor image");
        if (image.Count != 1 || image.Width != input.Spec.Width || image.Height != input.Spec.Height)
            throw new InvalidOperationException(
                $"the anchor image must be one {input.Spec.Width}×{input.Spec.Height} frame, got {image.Count} of {image.Width}×{image.Height}");
        return image;
    }

    // → the anchor frame [H, W, 3] uint8
    Tensor MakeAnchorFrame(SviModelSet models, EncodedClipContexts contexts, SviSampling sampling, GenerationSpec spec,
        IRenderOutput output, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var generator = new AnchorFrameGenerator(models.AnchorExperts ?? throw new InvalidOperationException(
            "the model loader returned no text-to-video experts"), models.Vae, noise, models.DType, models.Device);
        var positive = contexts.Positive(0);
        var negative = sampling.Guided ? contexts.Negative() : null;
        Tensor image;
        using (no_grad())
            image = generator.Generate(sampling, ClipSeeds.ForAnchor(spec.Seed), spec.Height, spec.Width, positive, negative,
                progress, cancellationToken);
        output.AnchorFrameMade(ClipFrames.ToBytes(image.unsqueeze(0)));
        return image;
    }

    // The LoRA strengths are the resolved ones: a spec without any renders at the worker's, which a redeploy may change.
    static string RunKey(GenerationSpec spec, SviModelChoice choice, ClipPlan plan, SviSampling sampling, SviSampling? anchor)
    {
        string text = JsonSerializer.Serialize(new { spec, mode = choice.Mode.Name(), plan, sampling, anchor, loras = choice.Loras?.ByName() });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // Progress<T> posts to the thread pool; the clip loop's reports must arrive in order.
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
