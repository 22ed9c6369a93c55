using System.Text.Json.Serialization;

namespace Svi.Inference.Pipeline;

/// <summary>
/// How a video is cut into clips: every clip renders <see cref="FramesPerClip"/> frames; clip 0 keeps them all, a
/// continuation clip drops its first <see cref="OverlapFrames"/> = 1 + 4m (the anchor-restoring frame and the m
/// latents that re-render the previous clip's tail), and the last clip is cut so the video has exactly
/// <see cref="OutputFrames"/> frames.
/// </summary>
public sealed record ClipPlan(int Clips, int FramesPerClip, int TemporalStride, int MotionLatents, int OutputFrames)
{
    public int LatentFramesPerClip => (FramesPerClip - 1) / TemporalStride + 1;
    public int OverlapFrames => 1 + TemporalStride * MotionLatents;
    public int NewFramesPerContinuation => FramesPerClip - OverlapFrames;
    /// <summary>Frames the clips give before trimming: F + (N − 1)(F − 1 − 4m).</summary>
    public int StitchedFrames => FramesPerClip + (Clips - 1) * NewFramesPerContinuation;
    /// <summary>The length rendered: <see cref="OutputFrames"/> at 16 fps.</summary>
    [JsonIgnore] // derived; left out of the run key so checkpoints written before it still resume
    public double Seconds => ClipPlanner.Seconds(OutputFrames);

    /// <summary>Output frames that come before <paramref name="clip"/>'s first kept frame.</summary>
    public int OutputFramesBefore(int clip) =>
        clip == 0 ? 0 : Math.Min(OutputFrames, FramesPerClip + (clip - 1) * NewFramesPerContinuation);

    /// <summary>Which of clip <paramref name="clip"/>'s decoded frames go into the video: [Start, Start + Count).</summary>
    public (int Start, int Count) KeptFrames(int clip)
    {
        if (clip < 0 || clip >= Clips) throw new ArgumentOutOfRangeException(nameof(clip), clip, $"the plan has {Clips} clips");
        int start = clip == 0 ? 0 : OverlapFrames;
        int count = Math.Min(FramesPerClip - start, OutputFrames - OutputFramesBefore(clip));
        return (start, count);
    }
}
