using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <summary>
/// A render's work in DiT-forward equivalents, so that progress moves with time and reaches 1 only when the MP4 is
/// written. Per clip: its denoising steps (two forwards each when guided), the VAE decode, the RIFE pass at 32 fps and
/// the FFmpeg encode; after the last clip, joining the parts into the MP4. A text-to-video render first samples its
/// anchor frame: one latent frame of the clip's <see cref="ClipPlan.LatentFramesPerClip"/>, so its steps weigh that
/// share of a clip's. The stage weights are estimates (bench/RESULTS.md has no GPU decode timing yet): at 832x480 one
/// A14B forward is about 3.4 s on an H100 (README's FLOP estimate), a Wan 2.1 VAE decode of 81 frames about three of
/// those, RIFE and x264 about one and a half between them.
/// </summary>
public sealed record RenderWork(ClipPlan Plan, SviSampling Sampling, SviSampling? Anchor, bool Interpolates)
{
    public const double DecodeForwards = 3, InterpolateForwards = 1, EncodeForwards = 0.5, JoinForwards = 0.5;

    static int Forwards(SviSampling sampling) => sampling.Guided ? 2 : 1;

    double StepForwards => Forwards(Sampling);
    double AnchorStepForwards => Anchor is null ? 0 : Forwards(Anchor) / (double)Plan.LatentFramesPerClip;
    double AnchorForwards => Anchor is null ? 0 : Anchor.Steps * AnchorStepForwards;
    double ClipForwards => Sampling.Steps * StepForwards + DecodeForwards + (Interpolates ? InterpolateForwards : 0) + EncodeForwards;
    double TotalForwards => AnchorForwards + Plan.Clips * ClipForwards + JoinForwards;

    /// <summary><paramref name="step"/> steps of the text-to-video anchor frame are done.</summary>
    public RenderProgress AnchorStep(int step) =>
        new(step * AnchorStepForwards / TotalForwards, 0, Plan.Clips, 0, RenderStage.Denoising);

    /// <summary>The clip loop's report; <see cref="SviProgress.Clip"/> = clips means all are done and the join starts.</summary>
    public RenderProgress At(SviProgress p) => p.Clip >= Plan.Clips
        ? Report(Plan.Clips - 1, Plan.Clips, RenderStage.Encoding, Plan.Clips * ClipForwards)
        : At(p.Clip, p.Stage, p.Step);

    /// <summary>Clip <paramref name="clip"/> enters <paramref name="stage"/>, after <paramref name="step"/> denoising steps.</summary>
    public RenderProgress At(int clip, RenderStage stage, int step = 0)
    {
        double denoised = Sampling.Steps * StepForwards;
        double within = stage switch
        {
            RenderStage.Denoising => Math.Min(step, Sampling.Steps) * StepForwards,
            RenderStage.Decoding => denoised,
            RenderStage.Interpolating => denoised + DecodeForwards,
            _ => denoised + DecodeForwards + (Interpolates ? InterpolateForwards : 0),
        };
        return Report(clip, clip, stage, clip * ClipForwards + within);
    }

    RenderProgress Report(int clip, int completed, RenderStage stage, double forwards) =>
        new(Math.Min((AnchorForwards + forwards) / TotalForwards, 1), clip, Plan.Clips, completed, stage);
}
