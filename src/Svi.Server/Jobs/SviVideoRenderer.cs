using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Inference.Weights;
using Svi.Server.Media;
using static TorchSharp.torch;

namespace Svi.Server.Jobs;

/// <summary>
/// Renders a generation with the SVI 2.0 Pro pipeline: checks the installed weights, loads the mode's models, makes
/// or encodes the anchor, runs the clip loop into a <see cref="ClipVideoWriter"/>, and resumes from the work
/// directory's checkpoint when a job is retried.
/// </summary>
public sealed class SviVideoRenderer(IModelInventory inventory, ISviModelLoader loader, IVideoMedia media, SviDefaults defaults,
    INoiseSource? noise = null) : IVideoRenderer
{
    static readonly Serilog.ILogger Log = Serilog.Log.ForContext<SviVideoRenderer>();
    readonly INoiseSource noise = noise ?? new SeededNoiseSource();

    public Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        var choice = SviModelChoice.For(spec);
        var plan = ExtensionStart.Plan(spec, job.ContinueFrom);
        var prompts = new PromptSchedule(spec.Prompts);
        var files = InstalledFiles(choice);
        return Task.Factory.StartNew(() =>
        {
            try
            {
                return Render(job, choice, plan, prompts, files, progress, cancellationToken);
            }
            catch (Exception e) when (DeviceMemoryFailure(e) is { } failure)
            {
                throw failure;
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    // The files of this generation's mode, recipe and resolution decide, not the deployment default's readiness.
    ModelFiles InstalledFiles(SviModelChoice choice)
    {
        var availability = inventory.Check();
        var files = availability.Files;
        var missingRoles = files is null ? choice.Roles.ToList() : choice.Roles.Where(r => !files.Has(r)).ToList();
        if (files is null || missingRoles.Count > 0)
        {
            // The inventory names the files it misses; the roles say what this choice needs beyond them.
            IReadOnlyList<string> missing = [.. availability.Missing, .. missingRoles.Select(r => $"{availability.Model}: {r}")];
            throw new WeightsMissingException(string.Join(", ", missing.Distinct()),
                $"{choice} needs them. {availability.Hint}".Trim());
        }
        return files;
    }

    RenderResult Render(RenderJob job, SviModelChoice choice, ClipPlan plan, PromptSchedule prompts, ModelFiles files,
        IProgress<RenderProgress> progress, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        var mode = choice.Mode;
        var sampling = defaults.For(spec);
        var anchorSampling = mode == SviMode.ImageToVideo ? null : defaults.Anchor(mode);
        int anchorSteps = anchorSampling?.Steps ?? 0;
        int totalSteps = anchorSteps + plan.Clips * sampling.Steps;
        string runKey = RunKey(spec, mode, plan, sampling, anchorSampling);
        Directory.CreateDirectory(job.WorkDirectory);
        var checkpoints = new SviCheckpointStore(Path.Combine(job.WorkDirectory, "checkpoint"));
        var writer = new ClipVideoWriter(media, job.WorkDirectory, cancellationToken, spec.Fps);
        if (checkpoints.Load(runKey) is null)
        {
            checkpoints.Clear();
            writer.Reset();
        }
        Log.Information("Generation {GenerationId}: {Choice}, {Clips} clips, {Frames} frames, {Steps} steps per clip at cfg {Cfg}",
            job.GenerationId, choice.ToString(), plan.Clips, plan.OutputFrames, sampling.Steps, sampling.Cfg);

        // The RIFE file runs through ONNX Runtime, not the model loader: a 32 fps job shares the loaded models of a 16 fps one.
        using var models = loader.Load(files, choice with { Interpolates = false });
        using var interpolator = choice.Interpolates
            ? RifeInterpolator.Open(files.Get(ModelRole.Interpolation)[0], preferCuda: models.Device.type == TorchSharp.DeviceType.CUDA)
            : null;
        IClipSink sink = interpolator is null ? writer : new FrameSinkAdapter(new InterpolatingFrameSink(writer, interpolator, writer.Seams));
        if (job.ContinueFrom is { } source && checkpoints.Load(runKey) is null)
            ExtensionStart.Seed(source, checkpoints, writer, sink, media, plan, runKey, spec, models.Vae, models.DType, models.Device, cancellationToken);
        using var contexts = new EncodedClipContexts(models.TextEncoder, prompts, spec.NegativePrompt);
        using var scope = NewDisposeScope();
        var anchorLatent = checkpoints.LoadAnchorLatent(models.Device);
        if (anchorLatent is null)
        {
            var image = mode == SviMode.ImageToVideo
                ? from_array(AnchorImage.Load(spec.AnchorImagePath!, spec.Width, spec.Height)).reshape(spec.Height, spec.Width, 3)
                : MakeAnchorFrame(models, contexts, anchorSampling!, spec, job.WorkDirectory,
                    new SynchronousProgress<int>(step => progress.Report(new RenderProgress((double)step / totalSteps, 0, plan.Clips))),
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
        var clipProgress = new SynchronousProgress<SviProgress>(p =>
            progress.Report(new RenderProgress((double)(anchorSteps + p.StepsDone) / totalSteps, p.Clip, p.Clips)));
        using (no_grad())
            pipeline.Run(run, sink, checkpoints, runKey, clipProgress, cancellationToken);

        string video = writer.FinishAsync(plan.Clips).GetAwaiter().GetResult();
        progress.Report(new RenderProgress(1.0, plan.Clips - 1, plan.Clips));
        int frames = ExtensionStart.OutputFrames(plan, job.ContinueFrom);
        return new RenderResult(video, writer.ThumbnailPath, interpolator is null ? frames : FrameDoubling.DoubledCount(frames), mode.Name());
    }

    Tensor MakeAnchorFrame(SviModelSet models, EncodedClipContexts contexts, SviSampling sampling, GenerationSpec spec,
        string workDirectory, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var generator = new AnchorFrameGenerator(models.AnchorExperts ?? throw new InvalidOperationException(
            "the model loader returned no text-to-video experts"), models.Vae, noise, models.DType, models.Device);
        var positive = contexts.Positive(0);
        var negative = sampling.Guided ? contexts.Negative() : null;
        Tensor image;
        using (no_grad())
            image = generator.Generate(sampling, ClipSeeds.ForAnchor(spec.Seed), spec.Height, spec.Width, positive, negative,
                progress, cancellationToken);
        AnchorImage.SavePng(image.data<byte>().ToArray(), spec.Width, spec.Height, Path.Combine(workDirectory, "anchor.png"));
        return image;
    }

    static string RunKey(GenerationSpec spec, SviMode mode, ClipPlan plan, SviSampling sampling, SviSampling? anchor)
    {
        string text = JsonSerializer.Serialize(new { spec, mode = mode.Name(), plan, sampling, anchor });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // Progress<T> posts to the thread pool; the clip loop's reports must arrive in order.
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
