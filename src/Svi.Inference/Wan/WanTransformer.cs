using static TorchSharp.torch;

namespace Svi.Inference.Wan;

// PLACEHOLDER signature, replaced by the real implementation (issue 3). Keep the public shape:
//   new WanTransformer(WanConfig) ; Tensor Forward(x, timestep, context)
public sealed record WanConfig(
    string ModelType, int[] PatchSize, int TextLen, int InDim, int Dim, int FfnDim, int FreqDim,
    int TextDim, int OutDim, int NumHeads, int NumLayers, bool QkNorm, bool CrossAttnNorm, double Eps);

public sealed class WanTransformer : TorchSharp.torch.nn.Module
{
    public WanTransformer(WanConfig config) : base(nameof(WanTransformer)) => Config = config;

    public WanConfig Config { get; }

    // x: [B, in_dim, F, H, W] (for i2v the caller has concatenated [noise; y]); timestep: [B] or [B, L];
    // context: [B, Lc, text_dim] (padded to text_len inside) → [B, out_dim, F, H, W]
    public Tensor Forward(Tensor x, Tensor timestep, Tensor context) => throw new NotImplementedException();
}
