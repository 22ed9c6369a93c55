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

    // The rule: the fewest clips that cover the request (81 frames, then 76 per clip), cut to round(seconds × 16).
    [Theory]
    [InlineData(1.0, 1, 81, 5.0625)] // below one clip: one whole clip
    [InlineData(18.0, 4, 288, 18.0)]
    [InlineData(60.0, 13, 960, 60.0)]
    [InlineData(121.5, 26, 1944, 121.5)]
    public void A_request_gets_the_fewest_clips_that_cover_it_and_renders_its_length(double seconds, int clips, int frames, double rendered)
    {
        var plan = ClipPlanner.ForSeconds(seconds);
        Assert.Equal((clips, frames, rendered), (plan.Clips, plan.OutputFrames, plan.Seconds));
        Assert.True(plan.StitchedFrames >= frames);
        if (clips > 1) Assert.True(ClipPlanner.ForClips(clips - 1, 1).StitchedFrames < frames, $"{clips - 1} clips would cover {seconds} s");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(121.5625)]
    public void A_request_of_no_length_or_over_the_maximum_is_refused(double seconds) =>
        Assert.Equal("duration", Assert.Throws<GenerationSpecException>(() => ClipPlanner.ForSeconds(seconds)).Field);

    [Theory]
    [InlineData(18.0, 4.75, 5, 309 + 76)]  // 4 clips (309 frames untrimmed: 288 kept) + one clip
    [InlineData(6.25, 4.0, 3, 157 + 64)]   // 100 frames: 2 clips, 157 untrimmed, + 64 frames need a third clip
    [InlineData(5.0625, 0.01, 2, 81 + 1)]  // the shortest addition is one frame, and it needs a clip
    [InlineData(18.0, 72.0, 20, 309 + 1152)]
    public void An_extension_plans_the_sources_untrimmed_clips_and_the_fewest_new_ones(double source, double added, int clips, int frames)
    {
        var plan = ClipPlanner.ForExtension(ClipPlanner.ForSeconds(source), added);
        Assert.Equal((clips, frames), (plan.Clips, plan.OutputFrames));
        Assert.Equal(frames / 16.0, plan.Seconds);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(76, 2)]
    [InlineData(77, 3)]
    [InlineData(64, 2)]
    public void An_upload_counts_as_one_clip_and_the_added_frames_get_the_fewest_clips_that_cover_them(int added, int clips)
    {
        var plan = ClipPlanner.ForUpload(added);
        Assert.Equal(clips, plan.Clips);
        Assert.Equal(added, Enumerable.Range(1, plan.Clips - 1).Sum(k => plan.KeptFrames(k).Count));
    }

    [Fact]
    public void An_extension_past_the_maximum_is_refused() =>
        Assert.Throws<GenerationSpecException>(() => ClipPlanner.ForExtension(ClipPlanner.ForSeconds(121.5), 0.0625));
}
