using Svi.Inference.Svi;
using Svi.Server.Contracts;
using Svi.Server.Jobs;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// Accepts extensions of completed videos. The extension is a new generation whose first clips are its source's (copied
/// with the source's stored raw latents when it is accepted) and whose new clips continue the source's clip loop; its
/// length is the source's untrimmed clips plus the seconds added.
/// </summary>
public sealed class ExtensionService(GenerationService generations, GenerationFiles files, ILogger<ExtensionService> log)
{
    static readonly int MaxFrames = ClipPlanner.OutputFrames(Durations.MaxSeconds);

    public async Task<GenerationRecord> ExtendAsync(GenerationRecord source, ExtensionRequest request, string owner, string surface,
        string? idempotencyKey, CancellationToken ct)
    {
        string sourceParam = surface == "openai" ? "video" : "id";
        SourceRules.RequireCompleted(source, sourceParam, "extended");
        var sourcePlan = ClipPlanner.ForDuration(source.DurationSeconds);
        int stitched = sourcePlan.StitchedFrames;
        int added = Math.Max(1, ClipPlanner.OutputFrames(request.AddedSeconds));
        int total = stitched + added;
        if (total > MaxFrames)
            throw ApiException.Invalid(request.Param, stitched >= MaxFrames
                ? $"The video '{source.Id}' is already {Seconds(stitched)} s long in whole clips; the longest video is {Seconds(MaxFrames)} s."
                : $"Adding {Durations.Format(request.AddedSeconds)} s would make the video {Seconds(total)} s long; the longest video is " +
                  $"{Seconds(MaxFrames)} s. '{source.Id}' is {Seconds(stitched)} s in whole clips, so at most {Seconds(MaxFrames - stitched)} s can be added.",
                "video_too_long");

        var sourceSchedule = new PromptSchedule(source.Prompts);
        var newPrompts = request.Prompts.Count == 1 ? PromptSchedule.SplitScenes(request.Prompts[0]) : request.Prompts;
        IReadOnlyList<string> prompts = [.. Enumerable.Range(0, sourcePlan.Clips).Select(sourceSchedule.ForClip), .. newPrompts];
        string hash = SourceRules.Hash(new { kind = "extend", source = source.Id, prompts, added, request.Cfg, request.Seed });
        if (idempotencyKey is not null && await generations.ReplayAsync(owner, idempotencyKey, hash, ct) is { } earlier) return earlier;

        var id = GenerationIds.New();
        if (!ExtensionStart.CopySourceState(files.Directory(source.Id), files.ExtensionSource(id)))
        {
            files.Delete(id);
            throw ApiException.Invalid(sourceParam,
                $"The video '{source.Id}' has no stored clip state (its last raw latents), so it cannot be continued.", "video_not_extendable");
        }
        // The anchor the source was conditioned on: its input image, or the frame text-to-video made for it.
        string? anchor = source.HasImage ? files.InputImage(source.Id) : Path.Combine(files.Directory(source.Id), "anchor.png");
        bool hasAnchor = File.Exists(anchor);
        if (hasAnchor) File.Copy(anchor!, files.InputImage(id));

        var record = SourceRules.Fresh(source, id, owner, surface) with
        {
            Prompts = prompts, DurationSeconds = total / 16.0, SecondsText = Seconds(total), Cfg = request.Cfg ?? source.Cfg,
            Seed = request.Seed ?? source.Seed, HasImage = hasAnchor, ClipsTotal = ClipPlanner.ForDuration(total / 16.0).Clips,
            ExtendedFrom = source.Id, IdempotencyKey = idempotencyKey, RequestHash = hash,
        };
        log.LogInformation("Extending {SourceId} ({Clips} clips, {Frames} frames) by {Added} frames as {GenerationId}",
            source.Id, sourcePlan.Clips, stitched, added, id);
        return await generations.InsertAndEnqueueAsync(record, ct);
    }

    static string Seconds(int frames) => Durations.Format(frames / 16.0);
}
