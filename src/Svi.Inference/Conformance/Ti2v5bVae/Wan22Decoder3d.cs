using Svi.Inference.Wan.Vae;
using static TorchSharp.torch;

namespace Svi.Inference.Conformance.Ti2v5bVae;

/// <summary>
/// The Wan 2.2 VAE decoder (width <c>dec_dim</c>): <c>conv1</c> → <c>middle</c> → <c>upsamples</c> (one
/// <see cref="UpResidualBlock"/> per stage) → <c>head</c> (12 patchified channels out).
/// </summary>
public sealed class Wan22Decoder3d : nn.Module<Tensor, FeatureCache?, Tensor>
{
    readonly CausalConv3d conv1;
    readonly VaeMiddle middle;
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>> upsamples;
    readonly VaeHead head;

    // Children are registered by hand under their checkpoint names; the typed fields are shortcuts to them.
    protected override void RegisterComponents() { }

    public Wan22Decoder3d(WanVaeConfig config) : base(nameof(Wan22Decoder3d))
    {
        int[] mult = config.DimMult;
        long[] dims = [config.DecoderDim * (long)mult[^1], .. mult.Reverse().Select(m => (long)config.DecoderDim * m)];
        bool[] temporal = config.TemperalUpsample;
        conv1 = new CausalConv3d(config.ZDim, dims[0], 3, padding: 1);
        middle = new VaeMiddle(dims[0]);
        upsamples = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, FeatureCache?, Tensor>>();
        for (int i = 0; i < mult.Length; i++)
            upsamples.Add(new UpResidualBlock(dims[i], dims[i + 1], config.NumResBlocks + 1,
                temporalUpsample: i < temporal.Length && temporal[i], upsample: i != mult.Length - 1));
        head = new VaeHead(dims[^1], Wan22Encoder3d.PatchChannels);
        register_module("conv1", conv1);
        register_module("middle", middle);
        register_module("upsamples", upsamples);
        register_module("head", head);
    }

    // x: [B, z, 1, h, w] (one latent frame) → [B, 12, 1 (first) or 4, 8h, 8w]
    public override Tensor forward(Tensor x, FeatureCache? cache)
    {
        using var scope = NewDisposeScope();
        x = conv1.forward(x, cache);
        x = middle.forward(x, cache);
        foreach (var layer in upsamples) x = layer.forward(x, cache);
        return head.forward(x, cache).MoveToOuterDisposeScope();
    }
}
