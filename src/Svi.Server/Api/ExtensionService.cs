using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Jobs;
using Svi.Server.Media;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// Accepts extensions of completed videos. The extension is a new generation whose first clips are its source's (copied
/// with the source's stored raw latents when it is accepted) and whose new clips continue the source's clip loop; its
/// length is the source's untrimmed clips plus the seconds added.
/// </summary>
public sealed class ExtensionService(GenerationService generations, GenerationFiles files, IOptions<SviOptions> options,
    SviDefaults defaults, DeploymentResolutions resolutions, ILogger<ExtensionService> log)
{
    public async Task<GenerationRecord> ExtendAsync(GenerationRecord source, ExtensionRequest request, string owner, string surface,
        string? idempotencyKey, CancellationToken ct)
    {
        string sourceParam = surface == "openai" ? "video" : "id";
        SourceRules.RequireCompleted(source, sourceParam, "extended");
        resolutions.RequireRenderableSource(source.Id, source.Spec.Width, source.Spec.Height, sourceParam, "extended");
        // New clips continue with the source's recipe (and its steps), so the cfg range is the source's recipe's.
        if (request.Cfg is { } cfg) RecipeFields.Check(cfg, defaults.Settings(source.Spec.Recipe));
        var sourcePlan = ClipPlanner.ForSeconds(source.Spec.DurationSeconds);
        int stitched = sourcePlan.StitchedFrames;
        int added = ClipPlanner.AddedFrames(request.AddedSeconds);
        int total = stitched + added;
        if (total > ClipPlanner.MaxFrames)
            throw ApiException.Invalid(request.Param, stitched >= ClipPlanner.MaxFrames
                ? $"The video '{source.Id}' is already {Seconds(stitched)} s long in whole clips; the longest video is {Seconds(ClipPlanner.MaxFrames)} s."
                : $"Adding {Durations.Format(request.AddedSeconds)} s would make the video {Seconds(total)} s long; the longest video is " +
                  $"{Seconds(ClipPlanner.MaxFrames)} s. '{source.Id}' is {Seconds(stitched)} s in whole clips, so at most {Seconds(ClipPlanner.MaxFrames - stitched)} s can be added.",
                "video_too_long");
        var plan = ClipPlanner.ForExtension(sourcePlan, request.AddedSeconds);

        var sourceSchedule = new PromptSchedule(source.Spec.Prompts);
        var newPrompts = request.Prompts.Count == 1 ? PromptSchedule.SplitScenes(request.Prompts[0]) : request.Prompts;
        IReadOnlyList<string> prompts = [.. Enumerable.Range(0, sourcePlan.Clips).Select(sourceSchedule.ForClip), .. newPrompts];
        string hash = SourceRules.Hash(new { kind = "extend", source = source.Id, prompts, added, request.Cfg, request.Seed });
        if (idempotencyKey is not null && await generations.ReplayAsync(owner, idempotencyKey, hash, ct) is { } earlier) return earlier;

        var id = GenerationIds.New();
        GenerationRecord record;
        try
        {
            bool copied = ExtensionSource.CopySourceState(files.Work(source.Id), files.Work(id).Source);
            // A trimmed source needs its last clip's whole latent to restore the cut frames.
            bool trimmed = source.Frames is { } frames && frames < stitched;
            if (!copied || trimmed && !new SviCheckpointStore(files.Work(id).Source.Checkpoint).HasFinalClipLatent)
                throw ApiException.Invalid(sourceParam,
                    $"The video '{source.Id}' has no stored clip state ({(copied ? "the raw latent of its last clip" : "its last raw latents")}), " +
                    "so it cannot be continued.", "video_not_extendable");
            // The anchor the source was conditioned on: its input image, or the frame text-to-video made for it.
            string? anchor = source.Spec.HasImage ? files.InputImage(source.Id) : files.Work(source.Id).AnchorFrame;
            bool hasAnchor = File.Exists(anchor);
            if (hasAnchor) File.Copy(anchor!, files.InputImage(id));

            record = SourceRules.Fresh(source, id, owner, surface) with
            {
                Spec = source.Spec with
                {
                    Prompts = prompts,
                    DurationSeconds = plan.Seconds,
                    Cfg = request.Cfg ?? source.Spec.Cfg,
                    Seed = request.Seed ?? source.Spec.Seed,
                    HasImage = hasAnchor,
                },
                SecondsText = Durations.Format(plan.Seconds),
                ClipsTotal = plan.Clips,
                ExtendedFrom = source.Id,
                IdempotencyKey = idempotencyKey,
                RequestHash = hash,
            };
            log.LogInformation("Extending {SourceId} ({Clips} clips, {Frames} frames) by {Added} frames as {GenerationId}",
                source.Id, sourcePlan.Clips, stitched, added, id);
        }
        catch
        {
            files.Delete(id);
            throw;
        }
        return await generations.AcceptAsync(record, ct);
    }

    /// <summary>
    /// Continues an uploaded video: its frames, resampled to 16 fps and cropped to the server's resolution (turned to
    /// the upload's orientation), start the output; new clips follow from the VAE encoding of its last frames. The whole
    /// video is rendered at the deployment's fps (Svi:Output:Fps, the OpenAI surface's rate): at 32 fps the upload's
    /// frames are interpolated like the new clips'.
    /// </summary>
    public async Task<GenerationRecord> ExtendUploadAsync(ExtensionRequest request, string owner, string? idempotencyKey, CancellationToken ct)
    {
        var file = request.Upload!;
        long limit = options.Value.MaxVideoBytes;
        if (file.Length > limit)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"The uploaded video is {file.Length} bytes; the limit is {limit} bytes (Svi:MaxVideoBytes).", "video", "video_too_large");
        var id = GenerationIds.New();
        var folder = files.Work(id).Source;
        string upload = folder.Upload;
        Directory.CreateDirectory(folder.Path);
        try
        {
            await using (var stream = File.Create(upload)) await file.CopyToAsync(stream, ct);
            int added = ClipPlanner.AddedFrames(request.AddedSeconds);
            int maxAdded = ClipPlanner.MaxFrames - ClipPlanner.FramesPerClip;
            // The headers first: a video over the limits is refused before a single frame is decoded.
            var probe = await UploadedVideo.ProbeAsync(upload, ct);
            if ((long)probe.Width * probe.Height > options.Value.MaxVideoPixels)
                throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                    $"The uploaded video is {probe.Width}x{probe.Height} pixels a frame; the limit is {options.Value.MaxVideoPixels} " +
                    "pixels (Svi:MaxVideoPixels).", "video", "video_too_large");
            if (probe.DurationSeconds is { } seconds && seconds * ClipPlanner.Fps + added > ClipPlanner.MaxFrames)
                throw TooLong(request, (int)Math.Min(Math.Floor(seconds * ClipPlanner.Fps), 1_000_000), added);
            int frames = await UploadedVideo.CountFramesAsync(upload, ct, maxFrames: ClipPlanner.MaxFrames);
            int overlap = 1 + ClipPlanner.TemporalStride * ClipPlanner.DefaultMotionLatents;
            if (frames < overlap)
                throw ApiException.Invalid("video", $"The uploaded video has {frames} frames at 16 fps; at least {overlap} are needed to continue it.",
                    "video_too_short");
            if (frames + added > ClipPlanner.MaxFrames || added > maxAdded) throw TooLong(request, frames, added);
            (int Width, int Height) uploaded = (probe.Width, probe.Height);
            var size = Orient(uploaded);

            string hash;
            await using (var stream = File.OpenRead(upload))
                hash = SourceRules.Hash(new
                {
                    kind = "extend-upload",
                    video = Convert.ToHexString(await SHA256.HashDataAsync(stream, ct)),
                    request.Prompts,
                    added,
                    fps = options.Value.Output.Fps,
                });
            if (idempotencyKey is not null && await generations.ReplayAsync(owner, idempotencyKey, hash, ct) is { } earlier)
            {
                files.Delete(id);
                return earlier;
            }
            await File.WriteAllTextAsync(folder.UploadState,
                JsonSerializer.Serialize(new UploadState(frames)), ct);
            await UploadedVideo.WriteFirstFramePngAsync(upload, size.Width, size.Height, files.InputImage(id), ct);

            var prompts = request.Prompts.Count == 1 ? PromptSchedule.SplitScenes(request.Prompts[0]) : request.Prompts;
            int total = frames + added;
            var plan = ClipPlanner.ForUpload(added);
            // The deployment's defaults for everything the upload request does not say, as for any new generation.
            var input = new SpecInput { Prompts = prompts, Resolution = Resolutions.Format(size.Width, size.Height), HasImage = true };
            var spec = new SpecValidator(options.Value, defaults, resolutions).Validate(input, SpecParams.Native);
            var record = new GenerationRecord
            {
                Id = id,
                Owner = owner,
                Surface = "openai",
                Status = GenerationStatus.Queued,
                Spec = spec with { DurationSeconds = ClipPlanner.Seconds(total) },
                SecondsText = Seconds(total),
                ClipsTotal = plan.Clips,
                IdempotencyKey = idempotencyKey,
                RequestHash = hash,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            };
            log.LogInformation("Extending an uploaded video ({Frames} frames at 16 fps) by {Added} frames as {GenerationId}", frames, added, id);
            return await generations.AcceptAsync(record, ct);
        }
        catch (InvalidDataException e)
        {
            files.Delete(id);
            throw ApiException.Invalid("video", $"The uploaded video cannot be read (corrupt or an unsupported container or codec): {e.Message}",
                "invalid_video");
        }
        catch
        {
            files.Delete(id);
            throw;
        }
    }

    static ApiException TooLong(ExtensionRequest request, int frames, int added) => ApiException.Invalid(frames >= ClipPlanner.MaxFrames ? "video" : request.Param,
        $"The uploaded video is {Seconds(frames)} s at 16 fps; with {Durations.Format(request.AddedSeconds)} s more it would be " +
        $"{Seconds(frames + added)} s, and the longest video is {Seconds(ClipPlanner.MaxFrames)} s.", "video_too_long");

    // The server's resolution, turned portrait or landscape like the upload.
    (int Width, int Height) Orient((int Width, int Height) uploaded)
    {
        Resolutions.TryParse(options.Value.DefaultResolution, out var size);
        bool portrait = uploaded.Height > uploaded.Width;
        return portrait == size.Height > size.Width ? size : (size.Height, size.Width);
    }

    static string Seconds(int frames) => Durations.Format(ClipPlanner.Seconds(frames));
}
