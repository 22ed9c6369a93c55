using static TorchSharp.torch;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Wan 2.2's parameter-free downsampling shortcut: folds each (time × 2 × 2) neighbourhood into channels, then
/// averages groups of consecutive channels down to the output width. A chunk with an odd frame count gets zero
/// frames in front first (the causal side).
/// </summary>
public sealed class AvgDown3d : nn.Module<Tensor, Tensor>
{
    readonly long outChannels;
    readonly long factorT;
    readonly long factorS;
    readonly long groupSize;

    // No parameters: nothing to register.
    protected override void RegisterComponents() { }

    public AvgDown3d(long inChannels, long outChannels, long factorT, long factorS) : base(nameof(AvgDown3d))
    {
        this.outChannels = outChannels;
        this.factorT = factorT;
        this.factorS = factorS;
        long factor = factorT * factorS * factorS;
        if (inChannels * factor % outChannels != 0)
            throw new ArgumentException($"{inChannels}·{factor} channels do not group evenly into {outChannels}");
        groupSize = inChannels * factor / outChannels;
    }

    // x: [B, C, T, H, W] → [B, out, ⌈T/ft⌉, H/fs, W/fs]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long padT = (factorT - x.shape[2] % factorT) % factorT;
        if (padT > 0) x = nn.functional.pad(x, [0, 0, 0, 0, padT, 0]);
        long b = x.shape[0], c = x.shape[1], t = x.shape[2] / factorT, h = x.shape[3] / factorS, w = x.shape[4] / factorS;
        var folded = x.reshape(b, c, t, factorT, h, factorS, w, factorS)
            .permute(0, 1, 3, 5, 7, 2, 4, 6)
            .reshape(b, outChannels, groupSize, t, h, w);
        return folded.mean([2]).MoveToOuterDisposeScope();
    }
}
