namespace Svi.Server.Tests.Support;

/// <summary>
/// TEST DOUBLE around the real <see cref="SviVideoRenderer"/>: the production clip loop, checkpoints, extension start
/// and ffmpeg writer, on stand-in models (Svi.Testing), rendering every request at 32×16 with 2 steps per clip so
/// server tests stay fast. Nothing here pretends a real model ran.
/// </summary>
public sealed class TinySviRenderer : IVideoRenderer
{
    public const string FailPrompt = "please fail";
    public const int Width = 32, Height = 16;

    readonly SviVideoRenderer inner = new(new FixedModelInventory(), new StandInModelLoader(), new FfmpegVideoMedia(), new SviDefaults());

    public Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken cancellationToken)
    {
        if (job.Spec.Prompts[0] == FailPrompt) throw new RenderFailedException("test_failure", "The test renderer was asked to fail.");
        return inner.RenderAsync(job with { Spec = job.Spec with { Width = Width, Height = Height, Steps = 2 } }, progress, cancellationToken);
    }
}
