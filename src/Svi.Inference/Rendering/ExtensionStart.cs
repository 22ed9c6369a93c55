using Svi.Inference.Pipeline;
using Svi.Inference.Wan;

namespace Svi.Inference.Rendering;

/// <summary>
/// Starts an extension where its source finished: the source's encoded clips become the extension's first clips
/// and its stored raw motion latents and anchor latent become the extension's checkpoint, so the clip loop resumes at
/// clip N with clip seeds N, N + 1, … of the same schedule — exactly as an uninterrupted run of N + k clips would.
/// Nothing is decoded and re-encoded, except a source whose last clip was trimmed to its requested duration: that
/// clip's stored raw latent is decoded again to restore the frames the trim cut off.
/// </summary>
public static class ExtensionStart
{
    /// <summary>Fills <paramref name="checkpoints"/> and <paramref name="output"/>'s first clips from the source.</summary>
    /// <param name="interpolates">whether <paramref name="output"/> interpolates to 32 fps what it is given</param>
    public static void Seed(RenderContinuation source, SviCheckpointStore checkpoints, IRenderOutput output, bool interpolates,
        ClipPlan plan, string runKey, GenerationSpec spec, IVideoVae vae, ScalarType dtype, Device device)
    {
        if (source.Upload is { } upload)
        {
            SeedFromUpload(source.SourceDirectory, upload, checkpoints, output, interpolates, plan, runKey, spec, vae, dtype, device);
            return;
        }
        var stored = new SviCheckpointStore(new WorkDirectory(source.SourceDirectory).Checkpoint);
        var state = stored.LoadLatest() ?? throw RenderFailedException.SourceStateMissing("its last raw latents");
        int clips = state.FinishedClips;
        if (clips >= plan.Clips)
            throw new RenderFailedException("invalid_extension", $"The source already has {clips} clips; the extension plans {plan.Clips}.");
        int stitched = plan.OutputFramesBefore(clips);
        bool lastClipTrimmed = state.FramesWritten < stitched;
        output.AdoptSourceClips(source.SourceDirectory, lastClipTrimmed ? clips - 1 : clips);

        using var scope = NewDisposeScope();
        var anchor = stored.LoadAnchorLatent(device) ?? throw RenderFailedException.SourceStateMissing("its anchor latent");
        var motion = stored.LoadMotionLatents(device);
        if (motion.shape[2] != plan.MotionLatents)
            throw new RenderFailedException("invalid_extension",
                $"The source carries {motion.shape[2]} motion latents; the extension needs {plan.MotionLatents}.");
        if (lastClipTrimmed)
        {
            // latent: [1, z, T, h, w] → the clip's kept frames, untrimmed in the longer plan
            var latent = stored.LoadFinalClipLatent(device)
                ?? throw RenderFailedException.SourceStateMissing("the raw latent of its last clip");
            using (no_grad())
            {
                var decoded = vae.Decode(latent).clamp(-1, 1);
                output.Accept(clips - 1, ClipFrames.ToBytes(ClipFrames.Kept(ClipFrames.ToRgb24(decoded), plan, clips - 1)));
            }
        }
        checkpoints.SaveAnchorLatent(anchor);
        checkpoints.Save(new SviCheckpoint(runKey, clips, stitched, spec.Seed), motion);
    }

    /// <summary>
    /// Continuing an uploaded video: the upload becomes clip 0 of the output, and the motion latents are the VAE
    /// encoding of its last 1 + 4m frames (the last m latents). The anchor is its first frame, which the server wrote
    /// as the generation's input image, so the render encodes it like any anchor image. At 16 fps the output adopts the
    /// source folder's clip 0 as it is; at 32 fps it is read a clip's length at a time and interpolated like any clip.
    /// The motion latents come from its 16 fps frames at either rate.
    /// </summary>
    static void SeedFromUpload(string sourceDirectory, IUploadedClip upload, SviCheckpointStore checkpoints, IRenderOutput output,
        bool interpolates, ClipPlan plan, string runKey, GenerationSpec spec, IVideoVae vae, ScalarType dtype, Device device)
    {
        if (interpolates) output.AcceptInPieces(0, spec.Width, spec.Height, upload.Pieces(plan.FramesPerClip));
        else output.AdoptSourceClips(sourceDirectory, 1);
        var tail = upload.Last(plan.OverlapFrames);
        if (tail.Count != plan.OverlapFrames || tail.Width != spec.Width || tail.Height != spec.Height)
            throw new InvalidOperationException(
                $"the upload's tail must be {plan.OverlapFrames} frames of {spec.Width}×{spec.Height}, got {tail.Count} of {tail.Width}×{tail.Height}");

        using var scope = NewDisposeScope();
        // tail: [1 + 4m, H, W, 3] uint8 → [1, 3, 1 + 4m, H, W] in [−1, 1] → latents [1, z, 1 + m, h, w]
        var video = ClipFrames.FramesToVideo(ClipFrames.FromBytes(tail), dtype, device);
        Tensor motion;
        using (no_grad())
        {
            var latents = vae.Encode(video);
            long t = latents.shape[2];
            motion = latents[.., .., TensorIndex.Slice(t - plan.MotionLatents, t)].clone();
        }
        checkpoints.Save(new SviCheckpoint(runKey, 1, upload.Frames, spec.Seed), motion);
    }
}
