using Svi.Inference.Pipeline;
using Svi.Inference.Rendering;
using Svi.Inference.Runtime;
using Svi.Server.Media;

namespace Svi.Server.Jobs;

/// <summary>
/// The server's renderer: checks that the generation's weights are installed (<see cref="RequiredWeights"/>), then runs the Inference render
/// (<see cref="SviRender"/>) with the input image decoded here and a <see cref="ClipVideoWriter"/> as its output, and
/// joins the clips into <c>video.mp4</c>. <c>./svi generate</c> runs the same renderer.
/// </summary>
public sealed class SviVideoRenderer(IModelInventory inventory, ISviModelLoader loader, IVideoMedia media, SviDefaults defaults,
    INoiseSource? noise = null) : IVideoRenderer
{
    readonly SviRender render = new(loader, defaults, noise);

    public Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        // The files of this generation's mode, recipe, resolution and fps, whatever the deployment default's readiness says.
        var files = inventory.FilesFor(SviModelChoice.For(spec));
        var input = new RenderInput(job.GenerationId, spec, job.WorkDirectory)
        {
            AnchorImage = spec.HasImage
                ? () => new RgbFrames(spec.Width, spec.Height, AnchorImage.Load(
                    job.InputImage ?? throw new InvalidOperationException("An image-to-video job needs its input image."), spec.Width, spec.Height))
                : null,
            ContinueFrom = ExtensionSource.Continuation(job.ContinueFrom),
        };
        return Task.Factory.StartNew(() =>
        {
            var writer = new ClipVideoWriter(media, job.WorkDirectory, cancellationToken, spec.Fps);
            var outcome = render.Render(input, files, writer, progress, cancellationToken);
            string video = writer.FinishAsync(outcome.Clips).GetAwaiter().GetResult();
            progress.Report(RenderProgress.Done(outcome.Clips));
            return new RenderResult(video, writer.ThumbnailPath, outcome.Frames, outcome.Mode);
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
