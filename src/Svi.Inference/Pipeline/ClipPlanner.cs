namespace Svi.Inference.Pipeline;

/// <summary>Chooses the number of clips for a requested duration (16 fps, 81 frames per clip, 1 + 4m overlap).</summary>
public static class ClipPlanner
{
    public const int Fps = 16;
    public const int FramesPerClip = 81;
    public const int TemporalStride = 4;
    /// <summary>One clip: 81 frames at 16 fps.</summary>
    public const double MinDurationSeconds = FramesPerClip / (double)Fps;
    public const double MaxDurationSeconds = 121.5;

    /// <summary>round(duration × 16), half away from zero.</summary>
    public static int OutputFrames(double durationSeconds) =>
        (int)Math.Round(durationSeconds * Fps, MidpointRounding.AwayFromZero);

    public static ClipPlan ForDuration(double durationSeconds, int motionLatents = 1)
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
