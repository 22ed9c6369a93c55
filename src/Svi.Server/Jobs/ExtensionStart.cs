using System.Text.Json;
using Svi.Inference.Interpolation;
using Svi.Inference.Pipeline;
using Svi.Inference.Wan;
using Svi.Server.Media;
using static TorchSharp.torch;

namespace Svi.Server.Jobs;

/// <summary>
/// Starts an extension where its source finished: the source's encoded clip parts become the extension's first parts
/// and its stored raw motion latents and anchor latent become the extension's checkpoint, so the clip loop resumes at
/// clip N with clip seeds N, N + 1, … of the same schedule — exactly as an uninterrupted run of N + k clips would.
/// Nothing is decoded and re-encoded, except a source whose last clip was trimmed to its requested duration: that
/// clip's stored raw latent is decoded again to restore the frames the trim cut off.
/// </summary>
public static class ExtensionStart
{
    public const string CheckpointFolder = "checkpoint", PartsFolder = "parts", SeamsFolder = SeamFrames.Folder;
    /// <summary>An uploaded video to continue (instead of a finished generation's state), and its frame count at 16 fps.</summary>
    public const string UploadFile = "upload.video", UploadStateFile = "upload.json";

    public sealed record UploadState(int Frames);

    public static UploadState? Upload(string? continueFrom) =>
        continueFrom is not null && File.Exists(Path.Combine(continueFrom, UploadStateFile))
            ? JsonSerializer.Deserialize<UploadState>(File.ReadAllText(Path.Combine(continueFrom, UploadStateFile)))
            : null;

    /// <summary>
    /// The plan a render follows. Continuing an upload, clip 0 stands for the uploaded frames (its part is the upload,
    /// never sampled), so the plan counts it as one whole clip and the new clips keep every frame they add.
    /// </summary>
    public static ClipPlan Plan(GenerationSpec spec, string? continueFrom)
    {
        if (Upload(continueFrom) is not { } upload) return ClipPlanner.ForDuration(spec.DurationSeconds, spec.MotionLatents);
        int added = ClipPlanner.OutputFrames(spec.DurationSeconds) - upload.Frames;
        return ClipPlanner.ForDuration((ClipPlanner.FramesPerClip + added) / (double)ClipPlanner.Fps, spec.MotionLatents);
    }

    /// <summary>The frames the finished video has.</summary>
    public static int OutputFrames(ClipPlan plan, string? continueFrom) =>
        Upload(continueFrom) is { } upload ? plan.OutputFrames - plan.FramesPerClip + upload.Frames : plan.OutputFrames;

    /// <summary>
    /// Copies what an extension needs of a finished generation's work directory into <paramref name="destination"/>,
    /// when the extension is accepted, so the source may expire or be deleted while the extension waits in the queue.
    /// </summary>
    /// <returns>false when the source has no stored clip state (nothing is copied then)</returns>
    public static bool CopySourceState(string sourceWorkDirectory, string destination)
    {
        string checkpoint = Path.Combine(sourceWorkDirectory, CheckpointFolder);
        if (new SviCheckpointStore(checkpoint).LoadLatest() is null) return false;
        foreach (var folder in new[] { CheckpointFolder, PartsFolder, SeamsFolder })
        {
            string from = Path.Combine(sourceWorkDirectory, folder), to = Path.Combine(destination, folder);
            if (!Directory.Exists(from)) continue;
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".tmp")))
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
        string thumbnail = Path.Combine(sourceWorkDirectory, ClipVideoWriter.ThumbnailFile);
        if (File.Exists(thumbnail)) File.Copy(thumbnail, Path.Combine(destination, ClipVideoWriter.ThumbnailFile), overwrite: true);
        return true;
    }

    /// <summary>Fills <paramref name="checkpoints"/> and <paramref name="writer"/>'s parts from the source's copied state.</summary>
    /// <param name="sourceDirectory">a folder holding the source's <c>checkpoint/</c>, <c>parts/</c>, <c>interpolation/</c>
    /// (32 fps: the last frame of its clips) and <c>thumbnail.jpg</c></param>
    /// <param name="sink">where a re-decoded last clip goes: the writer, or the interpolation in front of it</param>
    public static void Seed(string sourceDirectory, SviCheckpointStore checkpoints, ClipVideoWriter writer, IClipSink sink, IVideoMedia media,
        ClipPlan plan, string runKey, GenerationSpec spec, IVideoVae vae, ScalarType dtype, Device device, CancellationToken cancellationToken)
    {
        long seed = spec.Seed;
        if (Upload(sourceDirectory) is { } upload)
        {
            SeedFromUpload(sourceDirectory, upload, checkpoints, writer, media, plan, runKey, spec, vae, dtype, device, cancellationToken)
                .GetAwaiter().GetResult();
            return;
        }
        var source = new SviCheckpointStore(Path.Combine(sourceDirectory, CheckpointFolder));
        var state = source.LoadLatest() ?? throw Missing("its last raw latents");
        int clips = state.FinishedClips;
        if (clips >= plan.Clips)
            throw new RenderFailedException("invalid_extension", $"The source already has {clips} clips; the extension plans {plan.Clips}.");
        int stitched = plan.OutputFramesBefore(clips);
        bool lastClipTrimmed = state.FramesWritten < stitched;
        var sourceParts = new ClipVideoWriter(media, sourceDirectory, cancellationToken);

        Directory.CreateDirectory(writer.PartsDirectory);
        if (Directory.Exists(sourceParts.Seams.Directory))
            foreach (var seam in Directory.EnumerateFiles(sourceParts.Seams.Directory).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                Directory.CreateDirectory(writer.Seams.Directory);
                File.Copy(seam, Path.Combine(writer.Seams.Directory, Path.GetFileName(seam)), overwrite: true);
            }
        for (int clip = 0; clip < (lastClipTrimmed ? clips - 1 : clips); clip++)
        {
            if (!File.Exists(sourceParts.PartPath(clip))) throw Missing($"the encoded frames of clip {clip}");
            File.Copy(sourceParts.PartPath(clip), writer.PartPath(clip), overwrite: true);
        }
        if (File.Exists(sourceParts.ThumbnailPath)) File.Copy(sourceParts.ThumbnailPath, writer.ThumbnailPath, overwrite: true);

        using var scope = NewDisposeScope();
        var anchor = source.LoadAnchorLatent(device) ?? throw Missing("its anchor latent");
        var motion = source.LoadMotionLatents(device);
        if (motion.shape[2] != plan.MotionLatents)
            throw new RenderFailedException("invalid_extension",
                $"The source carries {motion.shape[2]} motion latents; the extension needs {plan.MotionLatents}.");
        if (lastClipTrimmed)
        {
            // latent: [1, z, T, h, w] → the clip's kept frames, untrimmed in the longer plan
            var latent = source.LoadFinalClipLatent(device) ?? throw Missing("the raw latent of its last clip");
            using (no_grad())
            {
                var decoded = vae.Decode(latent).clamp(-1, 1);
                sink.Accept(clips - 1, ClipFrames.Kept(ClipFrames.ToRgb24(decoded), plan, clips - 1));
            }
        }
        checkpoints.SaveAnchorLatent(anchor);
        checkpoints.Save(new SviCheckpoint(runKey, clips, stitched, seed), motion);
    }

    /// <summary>
    /// Continuing an uploaded video: its resampled, cropped frames become part 0 of the output, and the motion latents are
    /// the VAE encoding of its last 1 + 4m frames (the last m latents). The anchor is its first frame, which the API wrote
    /// as the generation's input image, so the renderer encodes it like any anchor image.
    /// </summary>
    static async Task SeedFromUpload(string sourceDirectory, UploadState upload, SviCheckpointStore checkpoints, ClipVideoWriter writer,
        IVideoMedia media, ClipPlan plan, string runKey, GenerationSpec spec, IVideoVae vae, ScalarType dtype, Device device,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(writer.PartsDirectory);
        string part = writer.PartPath(0);
        await UploadedVideo.EncodePartAsync(Path.Combine(sourceDirectory, UploadFile), spec.Width, spec.Height, new VideoEncoding(), part, cancellationToken);
        int frames = await UploadedVideo.CountFramesAsync(part, cancellationToken);
        if (frames != upload.Frames || frames < plan.OverlapFrames)
            throw new RenderFailedException("invalid_upload",
                $"The uploaded video gave {frames} frames at 16 fps where {upload.Frames} were counted when it was accepted.");
        var first = await media.ReadFramesAsync(part, null, null, 1, cancellationToken);
        await media.WriteJpegAsync(first, 0, writer.ThumbnailPath, cancellationToken);
        var tail = await UploadedVideo.ReadFramesAsync(part, spec.Width, spec.Height, frames - plan.OverlapFrames, plan.OverlapFrames, cancellationToken);

        using var scope = NewDisposeScope();
        // tail: [1 + 4m, H, W, 3] uint8 → [1, 3, 1 + 4m, H, W] in [−1, 1] → latents [1, z, 1 + m, h, w]
        var pixels = from_array(tail.Rgb24.ToArray()).reshape(plan.OverlapFrames, spec.Height, spec.Width, 3);
        var video = (pixels.to(ScalarType.Float32) / 127.5 - 1).permute(3, 0, 1, 2).unsqueeze(0).to(dtype, device);
        Tensor motion;
        using (no_grad())
        {
            var latents = vae.Encode(video);
            long t = latents.shape[2];
            motion = latents[.., .., TensorIndex.Slice(t - plan.MotionLatents, t)].clone();
        }
        checkpoints.Save(new SviCheckpoint(runKey, 1, frames, spec.Seed), motion);
    }

    static RenderFailedException Missing(string what) => new("source_state_missing",
        $"The source video's stored state is incomplete ({what} is missing), so it cannot be continued; " +
        "extend a video rendered by this server before it expires.");
}
