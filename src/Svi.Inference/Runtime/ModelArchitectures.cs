using Svi.Inference.Pipeline;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;

namespace Svi.Inference.Runtime;

/// <summary>
/// The architectures a deployment can run (<c>Svi:Inference:Architecture</c>): <c>a14b</c>, the published Wan 2.2
/// I2V-A14B and T2V-A14B experts, UMT5-XXL and the Wan 2.1 VAE; <c>tiny</c>, the same modules at toy widths, with
/// 4×4 patches so that an 832x480 clip is 8190 tokens. Tiny exists for random weights (trying the API, testing through
/// HTTP); no published file has its shapes.
/// <para>
/// On a CPU the VAE decode used to dominate a tiny clip: its last stage and head run 3×3×3 convolutions over every
/// pixel of all 81 frames. Tiny therefore keeps the Wan 2.1 VAE's four stages (8× space, 4× time) at width 4 with no
/// width multipliers (so the encoder needs no residual block to change width) and the fewest residual blocks the
/// structure allows (none per encoder stage, one per decoder stage instead of three): the fewest full-resolution
/// convolutions. Those narrow convolutions run folded or as matrix products on the CPU
/// (<see cref="Svi.Inference.Nn.SpaceToDepthConvolution"/>, <see cref="Svi.Inference.Nn.PointwiseConvolution"/>), so a
/// clip decodes in seconds; the DiT (2 blocks of width 32, 8190 tokens) and UMT5 (1 layer of width 32) are the rest.
/// Measured times are in bench/RESULTS.md.
/// </para>
/// </summary>
public static class ModelArchitectures
{
    public const string A14B = "a14b", Tiny = "tiny", Auto = "auto";

    public static SviArchitecture TinyArchitecture { get; } = new(
        I2v: new WanConfig(
            ModelType: "i2v", PatchSize: [1, 4, 4], TextLen: 32, InDim: 36, Dim: 32, FfnDim: 64, FreqDim: 256,
            TextDim: 32, OutDim: 16, NumHeads: 2, NumLayers: 2, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6),
        T2v: new WanConfig(
            ModelType: "t2v", PatchSize: [1, 4, 4], TextLen: 32, InDim: 16, Dim: 32, FfnDim: 64, FreqDim: 256,
            TextDim: 32, OutDim: 16, NumHeads: 2, NumLayers: 2, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6),
        Vae: WanVaeConfig.Wan21 with { Dim = 4, DecoderDim = 4, DimMult = [1, 1, 1, 1], NumResBlocks = 0 },
        TextEncoder: new Umt5Config(Vocab: 64, Dim: 32, DimAttn: 32, DimFfn: 64, NumHeads: 2, NumLayers: 1, NumBuckets: 8),
        TextLength: 32);

    /// <summary>The configured architecture's name: <c>auto</c> is tiny with random weights, a14b with files.</summary>
    public static string NameFor(InferenceOptions options) =>
        string.Equals(options.Architecture, Auto, StringComparison.OrdinalIgnoreCase)
            ? options.UsesRandomWeights ? Tiny : A14B
            : options.Architecture.ToLowerInvariant();

    public static SviArchitecture For(InferenceOptions options) => NameFor(options) == Tiny ? TinyArchitecture : SviArchitecture.Wan22A14B;

    public static bool IsKnown(string name) => name.ToLowerInvariant() is A14B or Tiny or Auto;
}
