namespace Svi.Inference.Pipeline;

/// <summary>
/// The one home of SVI's clip arithmetic: a video is rendered at <see cref="Fps"/> in clips of
/// <see cref="FramesPerClip"/> frames, each continuation re-rendering 1 + 4m frames of the previous clip, and a request
/// gets the fewest clips that cover it, the last one cut so the video has exactly round(seconds × 16) frames. Creates,
/// extensions and uploads all plan here; the server's <c>clips_total</c> and <c>duration</c> are read off the plan.
/// </summary>
public static class ClipPlanner
{
    public const int Fps = 16;
    public const int FramesPerClip = 81;
    public const int TemporalStride = 4;
    /// <summary>SVI 2.0 Pro carries one latent (1 + 4 = 5 frames) from clip to clip.</summary>
    public const int DefaultMotionLatents = 1;
    /// <summary>One clip: 81 frames at 16 fps.</summary>
    public const double MinDurationSeconds = FramesPerClip / (double)Fps;
    public const double MaxDurationSeconds = 121.5;
    /// <summary>Frames a continuation clip adds with one motion latent: 81 − 5 = 76.</summary>
    public const int NewFramesPerClip = FramesPerClip - 1 - TemporalStride * DefaultMotionLatents;
    /// <summary>The shortest addition: one frame.</summary>
    public const double FrameSeconds = 1.0 / Fps;
    public static readonly int MaxFrames = OutputFrames(MaxDurationSeconds);

    /// <summary>round(duration × 16), half away from zero.</summary>
    public static int OutputFrames(double durationSeconds) =>
        (int)Math.Round(durationSeconds * Fps, MidpointRounding.AwayFromZero);

    /// <summary>Frames that many seconds add to a video: round(seconds × 16), at least one.</summary>
    public static int AddedFrames(double seconds) => Math.Max(1, OutputFrames(seconds));

    public static double Seconds(int frames) => frames / (double)Fps;

    /// <summary>
    /// The plan for a request of <paramref name="seconds"/> (0 &lt; seconds ≤ 121.5): anything shorter than one clip is
    /// rendered as one whole clip, so the video is max(seconds, 5.0625 s) long.
    /// </summary>
    public static ClipPlan ForSeconds(double seconds, int motionLatents = DefaultMotionLatents)
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
            throw new GenerationSpecException("duration", $"{seconds} s: a video must be longer than 0 s");
        return ForDuration(Math.Max(seconds, MinDurationSeconds), motionLatents);
    }

    /// <summary>A video of exactly <paramref name="durationSeconds"/> (one clip … 121.5 s).</summary>
    public static ClipPlan ForDuration(double durationSeconds, int motionLatents = DefaultMotionLatents)
    {
        if (double.IsNaN(durationSeconds) || durationSeconds < MinDurationSeconds || durationSeconds > MaxDurationSeconds)
            throw new GenerationSpecException("duration",
                $"{durationSeconds} s is outside {MinDurationSeconds} … {MaxDurationSeconds} s (one clip is {FramesPerClip} frames at {Fps} fps)");
        ValidateMotionLatents(motionLatents, FramesPerClip, TemporalStride);
        int frames = OutputFrames(durationSeconds);
        int perContinuation = FramesPerClip - 1 - TemporalStride * motionLatents;
        int clips = frames <= FramesPerClip ? 1 : 1 + (frames - FramesPerClip + perContinuation - 1) / perContinuation;
        return new ClipPlan(clips, FramesPerClip, TemporalStride, motionLatents, frames);
    }

    /// <summary>
    /// An extension of a finished video planned by <paramref name="source"/>: its untrimmed clips come first (a trimmed
    /// last clip is rendered whole again), then <see cref="AddedFrames"/> new frames.
    /// </summary>
    public static ClipPlan ForExtension(ClipPlan source, double addedSeconds) =>
        ForDuration(Seconds(source.StitchedFrames + AddedFrames(addedSeconds)), source.MotionLatents);

    /// <summary>
    /// An extension of an uploaded video: clip 0 stands for the upload (never sampled, whatever its length), so the plan
    /// counts it as one whole clip and the new clips keep every frame they add.
    /// </summary>
    public static ClipPlan ForUpload(int addedFrames, int motionLatents = DefaultMotionLatents) =>
        ForDuration(Seconds(FramesPerClip + addedFrames), motionLatents);

    /// <summary>A fixed number of clips, untrimmed (the reference's own runs; conformance sets).</summary>
    public static ClipPlan ForClips(int clips, int motionLatents, int framesPerClip = FramesPerClip, int temporalStride = TemporalStride)
    {
        if (clips < 1) throw new GenerationSpecException("clips", $"{clips}: at least one clip is needed");
        if ((framesPerClip - 1) % temporalStride != 0)
            throw new GenerationSpecException("frames_per_clip", $"{framesPerClip} is not 1 + {temporalStride}k");
        ValidateMotionLatents(motionLatents, framesPerClip, temporalStride);
        var plan = new ClipPlan(clips, framesPerClip, temporalStride, motionLatents, 0);
        return plan with { OutputFrames = plan.StitchedFrames };
    }

    static void ValidateMotionLatents(int motionLatents, int framesPerClip, int temporalStride)
    {
        // A continuation must add at least one new frame: 1 + 4m < F.
        int max = (framesPerClip - 2) / temporalStride;
        if (motionLatents < 1 || motionLatents > max)
            throw new GenerationSpecException("motion_latents", $"{motionLatents} is outside 1 … {max}");
    }
}
