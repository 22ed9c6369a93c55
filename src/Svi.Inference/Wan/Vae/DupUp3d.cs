namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Wan 2.2's parameter-free upsampling shortcut, the inverse arrangement of <see cref="AvgDown3d"/>: repeats
/// channels, then unfolds them into (time × 2 × 2) neighbourhoods. On the first chunk the extra leading frames
/// are dropped, matching the causal decode of a single first frame.
/// </summary>
public sealed class DupUp3d : nn.Module<Tensor, bool, Tensor>
{
    readonly SpaceTimeFold fold;
    readonly long repeats;

    // No parameters: nothing to register.
    protected override void RegisterComponents() { }

    public DupUp3d(long inChannels, long outChannels, long factorT, long factorS) : base(nameof(DupUp3d))
    {
        fold = new SpaceTimeFold(factorT, factorS);
        repeats = fold.Share(outChannels, inChannels);
    }

    // x: [B, C, T, H, W] → [B, out, T·ft (− (ft − 1) on the first chunk), H·fs, W·fs]
    public override Tensor forward(Tensor x, bool firstChunk)
    {
        using var scope = NewDisposeScope();
        var y = fold.Unfold(x.repeat_interleave(repeats, dim: 1));
        if (firstChunk) y = y.narrow(2, fold.Time - 1, y.shape[2] - (fold.Time - 1));
        return y.MoveToOuterDisposeScope();
    }
}
