namespace Svi.Server.Tests.Support;

/// <summary>
/// TEST DOUBLE of the GPU pipeline: it behaves like a renderer (steps with progress, cancellation between steps,
/// partial.mp4 after each clip, video.mp4 and thumbnail.jpg at the end) but draws ffmpeg's test pattern instead of
/// running a model. Only tests register it; the server's own DI never does.
/// Every run appends a line to <c>renders.log</c> in the work directory, so tests can count deliveries.
/// </summary>
public sealed class FfmpegTestRenderer(TimeSpan stepTime, int stepsPerClip = 3) : IVideoRenderer
{
    public const string FailPrompt = "please fail";

    public async Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken ct)
    {
        await File.AppendAllTextAsync(Path.Combine(job.WorkDirectory, "renders.log"), $"start {Environment.ProcessId}\n", ct);
        if (job.Spec.Prompts[0] == FailPrompt)
            throw new RenderFailedException("test_failure", "The test renderer was asked to fail.");
        var plan = ClipPlanner.ForSeconds(job.Spec.DurationSeconds);
        int frames = plan.OutputFrames, clips = plan.Clips;
        int totalSteps = clips * stepsPerClip;
        for (int clip = 1; clip <= clips; clip++)
        {
            for (int step = 1; step <= stepsPerClip; step++)
            {
                ct.ThrowIfCancellationRequested();
                // Stands in for one denoising step's GPU time.
                await Task.Delay(stepTime, ct);
                progress.Report(new RenderProgress(((clip - 1) * stepsPerClip + step) / (double)(totalSteps + 1), clip - 1, clips, clip - 1, RenderStage.Denoising));
            }
            progress.Report(new RenderProgress((clip * stepsPerClip) / (double)(totalSteps + 1), clip - 1, clips, clip - 1, RenderStage.Encoding));
            await EncodeAsync(Math.Min(clip * 81, frames), Path.Combine(job.WorkDirectory, "partial.tmp.mp4"), ct);
            File.Move(Path.Combine(job.WorkDirectory, "partial.tmp.mp4"), Path.Combine(job.WorkDirectory, "partial.mp4"), overwrite: true);
        }
        var video = Path.Combine(job.WorkDirectory, "video.mp4");
        File.Move(Path.Combine(job.WorkDirectory, "partial.mp4"), video, overwrite: true);
        var thumbnail = Path.Combine(job.WorkDirectory, "thumbnail.jpg");
        await RunFfmpegAsync($"-y -v error -i \"{video}\" -frames:v 1 \"{thumbnail}\"", ct);
        return new RenderResult(video, thumbnail, frames, SviModes.For(job.Spec).Name());
    }

    private static Task EncodeAsync(int frames, string path, CancellationToken ct) => RunFfmpegAsync(
        $"-y -v error -f lavfi -i testsrc=size=96x64:rate=16 -frames:v {frames} -pix_fmt yuv420p -c:v libx264 -preset ultrafast -movflags +faststart \"{path}\"", ct);

    public static async Task RunFfmpegAsync(string arguments, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {await stderr}");
    }
}
