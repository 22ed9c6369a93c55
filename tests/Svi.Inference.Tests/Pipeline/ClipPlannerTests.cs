using Svi.Inference.Pipeline;

namespace Svi.Inference.Tests.Pipeline;

public class ClipPlannerTests
{
    public static TheoryData<int> MotionLatentCounts => new() { 1, 2 };

    [Theory]
    [MemberData(nameof(MotionLatentCounts))]
    public void Every_allowed_duration_gets_the_fewest_clips_that_cover_it_and_is_trimmed_to_round_duration_times_16(int m)
    {
        // Every duration the API accepts, in 1/16 s steps: 5.0625 s (one clip) … 121.5 s.
        for (int frames = 81; frames <= 1944; frames++)
        {
            double seconds = frames / 16.0;
            var plan = ClipPlanner.ForDuration(seconds, m);
            Assert.Equal(frames, plan.OutputFrames);
            Assert.True(plan.StitchedFrames >= frames, $"{seconds} s: {plan.Clips} clips give {plan.StitchedFrames} < {frames}");
            if (plan.Clips > 1)
                Assert.True(81 + (plan.Clips - 2) * (80 - 4 * m) < frames, $"{seconds} s: {plan.Clips - 1} clips would do");
            int kept = Enumerable.Range(0, plan.Clips).Sum(k => plan.KeptFrames(k).Count);
            Assert.Equal(frames, kept);
            Assert.True(plan.KeptFrames(plan.Clips - 1).Count > 0);
        }
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 9)]
    [InlineData(3, 13)]
    public void Continuation_clip_drops_exactly_one_plus_four_m_frames(int m, int dropped)
    {
        var plan = ClipPlanner.ForClips(3, m);
        Assert.Equal((0, 81), plan.KeptFrames(0));
        Assert.Equal((dropped, 81 - dropped), plan.KeptFrames(1));
        Assert.Equal((dropped, 81 - dropped), plan.KeptFrames(2));
        Assert.Equal(81 + 2 * (81 - dropped), plan.StitchedFrames);
    }

    [Theory]
    [InlineData(1, 81)]
    [InlineData(2, 157)]
    [InlineData(24, 1829)]
    [InlineData(50, 3805)]
    public void N_clips_with_one_motion_latent_give_76N_plus_5_frames(int clips, int frames)
    {
        Assert.Equal(frames, ClipPlanner.ForClips(clips, 1).StitchedFrames);
        Assert.Equal(21, ClipPlanner.ForClips(clips, 1).LatentFramesPerClip);
    }

    [Theory]
    [InlineData(18.0, 1, 288, 4)]
    [InlineData(5.0625, 1, 81, 1)]
    [InlineData(5.1, 1, 82, 2)]
    [InlineData(121.5, 1, 1944, 26)]
    [InlineData(121.5, 2, 1944, 27)]
    [InlineData(10.03125, 1, 161, 3)] // 160.5 rounds half away from zero
    public void Duration_maps_to_frames_and_clips(double seconds, int m, int frames, int clips)
    {
        var plan = ClipPlanner.ForDuration(seconds, m);
        Assert.Equal(frames, plan.OutputFrames);
        Assert.Equal(clips, plan.Clips);
    }

    [Theory]
    [InlineData(5.0, 1)]
    [InlineData(121.6, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(18.0, 0)]
    [InlineData(18.0, 20)]
    public void Durations_and_motion_latents_outside_the_range_are_rejected_by_field(double seconds, int m)
    {
        var error = Assert.Throws<GenerationSpecException>(() => ClipPlanner.ForDuration(seconds, m));
        Assert.Contains(error.Field, new[] { "duration", "motion_latents" });
    }

    [Fact]
    public void Output_frames_before_a_clip_count_what_earlier_clips_kept()
    {
        var plan = ClipPlanner.ForDuration(18.0, 1);
        Assert.Equal(0, plan.OutputFramesBefore(0));
        Assert.Equal(81, plan.OutputFramesBefore(1));
        Assert.Equal(157, plan.OutputFramesBefore(2));
        Assert.Equal(233, plan.OutputFramesBefore(3));
        Assert.Equal((5, 55), plan.KeptFrames(3));
    }
}
