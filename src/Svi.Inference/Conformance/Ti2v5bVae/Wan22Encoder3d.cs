using Svi.Inference.Wan.Vae;
using static TorchSharp.torch;

namespace Svi.Inference.Conformance.Ti2v5bVae;

/// <summary>
/// The Wan 2.2 VAE encoder: <c>conv1</c> (12 patchified channels in) → <c>downsamples</c> (one
/// <see cref="DownResidualBlock"/> per stage) → <c>middle</c> → <c>head</c> (2·z channels).
/// </summary>
public sealed class Wan22Encoder3d : nn.Module<Tensor, FeatureCache?, Tensor>
{
    /// <summary>3 colour channels × a 2×2 pixel patch.</summary>
    public const int PatchChannels = 12;

    readonly CausalConv3d conv1;
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>> downsamples;
    readonly VaeMiddle middle;
    readonly VaeHead head;

    // Children are registered by hand under their checkpoint names; the typed fields are shortcuts to them.
    protected override void RegisterComponents() { }

    public Wan22Encoder3d(WanVaeConfig config) : base(nameof(Wan22Encoder3d))
    {
        int[] mult = config.DimMult;
        long[] dims = [config.Dim, .. mult.Select(m => (long)config.Dim * m)];
        conv1 = new CausalConv3d(PatchChannels, dims[0], 3, padding: 1);
        downsamples = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>>();
        for (int i = 0; i < mult.Length; i++)
        {
            bool temporal = i < config.TemperalDownsample.Length && config.TemperalDownsample[i];
            downsamples.Add(new DownResidualBlock(dims[i], dims[i + 1], config.NumResBlocks, temporal,
                downsample: i != mult.Length - 1));
        }
        middle = new VaeMiddle(dims[^1]);
        head = new VaeHead(dims[^1], config.ZDim * 2L);
        register_module("conv1", conv1);
        register_module("downsamples", downsamples);
        register_module("middle", middle);
        register_module("head", head);
    }

    // x: [B, 12, T, H/2, W/2] (one chunk) → [B, 2z, T', H/16, W/16]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        x = conv1.forward(x, cache);
        foreach (var layer in downsamples) x = layer.forward(x, cache);
        x = middle.forward(x, cache);
        return head.forward(x, cache).MoveToOuterDisposeScope();
    }
}
