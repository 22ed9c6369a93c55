using Svi.Inference.Rendering;

namespace Svi.Inference.Tests.Rendering;

public class RenderWorkTests
{
    static readonly SviSampling Distilled = SviRecipeSettings.Distilled.Sampling(cfg: 1.5);

    [Fact]
    public void A_one_clip_job_gives_decode_encode_and_join_a_share_so_denoising_ends_well_below_one()
    {
        var work = new RenderWork(ClipPlanner.ForSeconds(1), Distilled, null, Interpolates: false);
        var denoised = work.At(0, RenderStage.Decoding);
        var encoding = work.At(0, RenderStage.Encoding);
        var joining = work.At(new SviProgress(1, 1, 0, Distilled.Steps));

        Assert.True(denoised.Fraction < 0.9, $"denoising ends at {denoised.Fraction:P1}");
        Assert.True(denoised.Fraction < encoding.Fraction && encoding.Fraction < joining.Fraction && joining.Fraction < 1);
        Assert.Equal((0, RenderStage.Encoding, 1), (joining.Clip, joining.Stage, joining.ClipsCompleted));
        Assert.Equal(0, encoding.ClipsCompleted);
    }

    [Fact]
    public void Progress_rises_through_every_step_and_stage_of_every_clip()
    {
        var plan = ClipPlanner.ForSeconds(18);
        var work = new RenderWork(plan, Distilled, Anchor: Distilled, Interpolates: true);
        var fractions = new List<double> { work.AnchorStep(0).Fraction, work.AnchorStep(Distilled.Steps).Fraction };
        for (int clip = 0; clip < plan.Clips; clip++)
        {
            // the last step's end is where decoding starts, and step 0 where the previous clip ended
            fractions.AddRange(Enumerable.Range(1, Distilled.Steps - 1).Select(step => work.At(clip, RenderStage.Denoising, step).Fraction));
            fractions.AddRange(new[] { RenderStage.Decoding, RenderStage.Interpolating, RenderStage.Encoding }.Select(s => work.At(clip, s).Fraction));
        }
        fractions.Add(work.At(new SviProgress(plan.Clips, plan.Clips, 0, Distilled.Steps)).Fraction);

        Assert.Equal(0, fractions[0]);
        for (int i = 1; i < fractions.Count; i++) Assert.True(fractions[i] > fractions[i - 1], $"report {i}: {fractions[i]} after {fractions[i - 1]}");
        Assert.True(fractions[^1] < 1);
        // The anchor frame is one latent frame of 21: its steps are a sliver of one clip's.
        Assert.True(fractions[1] < work.At(0, RenderStage.Denoising, 1).Fraction - fractions[1]);
    }
}
