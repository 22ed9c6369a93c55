using static TorchSharp.torch;

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Wan 2.2's parameter-free upsampling shortcut, the inverse arrangement of <see cref="AvgDown3d"/>: repeats
/// channels, then unfolds them into (time × 2 × 2) neighbourhoods. On the first chunk the extra leading frames
/// are dropped, matching the causal decode of a single first frame.
/// </summary>
public sealed class DupUp3d : nn.Module<Tensor, bool, Tensor>
{
    readonly long outChannels;
    readonly long factorT;
    readonly long factorS;
    readonly long repeats;

    // No parameters: nothing to register.
    protected override void RegisterComponents() { }

    public DupUp3d(long inChannels, long outChannels, long factorT, long factorS) : base(nameof(DupUp3d))
    {
        this.outChannels = outChannels;
        this.factorT = factorT;
        this.factorS = factorS;
        long factor = factorT * factorS * factorS;
        if (outChannels * factor % inChannels != 0)
            throw new ArgumentException($"{outChannels}·{factor} channels are not a multiple of {inChannels}");
        repeats = outChannels * factor / inChannels;
    }

    // x: [B, C, T, H, W] → [B, out, T·ft (− (ft − 1) on the first chunk), H·fs, W·fs]
    public override Tensor forward(Tensor x, bool firstChunk)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var y = x.repeat_interleave(repeats, dim: 1)
            .reshape(b, outChannels, factorT, factorS, factorS, t, h, w)
            .permute(0, 1, 5, 2, 6, 3, 7, 4)
            .reshape(b, outChannels, t * factorT, h * factorS, w * factorS);
        if (firstChunk) y = y.narrow(2, factorT - 1, y.shape[2] - (factorT - 1));
        return y.MoveToOuterDisposeScope();
    }
}
