namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Wan 2.2's parameter-free downsampling shortcut: folds each (time × 2 × 2) neighbourhood into channels, then
/// averages groups of consecutive channels down to the output width. A chunk with an odd frame count gets zero
/// frames in front first (the causal side).
/// </summary>
public sealed class AvgDown3d : nn.Module<Tensor, Tensor>
{
    readonly SpaceTimeFold fold;
    readonly long outChannels;
    readonly long groupSize;

    // No parameters: nothing to register.
    protected override void RegisterComponents() { }

    public AvgDown3d(long inChannels, long outChannels, long factorT, long factorS) : base(nameof(AvgDown3d))
    {
        fold = new SpaceTimeFold(factorT, factorS);
        this.outChannels = outChannels;
        groupSize = fold.Share(inChannels, outChannels);
    }

    // x: [B, C, T, H, W] → [B, out, ⌈T/ft⌉, H/fs, W/fs]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long padT = (fold.Time - x.shape[2] % fold.Time) % fold.Time;
        if (padT > 0) x = nn.functional.pad(x, [0, 0, 0, 0, padT, 0]);
        var folded = fold.Fold(x);
        return folded.reshape(folded.shape[0], outChannels, groupSize, folded.shape[2], folded.shape[3], folded.shape[4])
            .mean([2]).MoveToOuterDisposeScope();
    }
}
