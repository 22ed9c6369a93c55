using static TorchSharp.torch;

namespace Svi.Inference.Wan.Dit;

/// <summary>
/// One DiT block: modulated self-attention, cross-attention to the text, modulated GELU-tanh FFN. The six
/// modulation vectors are the block's own <c>modulation</c> plus the shared time projection e0 (shift, scale
/// and gate for attention, then for the FFN). The residual stream and all modulation math stay fp32; the
/// projections run in the compute dtype.
/// </summary>
public sealed class WanAttentionBlock : nn.Module
{
    readonly ScalarType computeType;

#pragma warning disable IDE1006 // checkpoint key names
    readonly WanLayerNorm norm1, norm2;
    readonly WanLayerNorm? norm3;
    readonly WanSelfAttention self_attn;
    readonly WanCrossAttention cross_attn;
    readonly Mlp ffn;
    readonly TorchSharp.Modules.Parameter modulation;
#pragma warning restore IDE1006

    public WanAttentionBlock(WanConfig config, ScalarType computeType) : base(nameof(WanAttentionBlock))
    {
        this.computeType = computeType;
        norm1 = new WanLayerNorm(config.Dim, config.Eps);
        self_attn = new WanSelfAttention(config.Dim, config.NumHeads, config.QkNorm, config.Eps, computeType);
        norm3 = config.CrossAttnNorm ? new WanLayerNorm(config.Dim, config.Eps, elementwiseAffine: true) : null;
        cross_attn = new WanCrossAttention(config.Dim, config.NumHeads, config.QkNorm, config.Eps, computeType);
        norm2 = new WanLayerNorm(config.Dim, config.Eps);
        ffn = new Mlp(config.Dim, config.FfnDim, config.Dim, MlpActivation.GeluTanh, computeType);
        modulation = nn.Parameter(zeros(1, 6, config.Dim, dtype: ScalarType.Float32), requires_grad: false);
        RegisterComponents();
    }

    // x: [B, L, C] fp32; context: [B, text_len, C] → [B, L, C] fp32
    public Tensor Forward(Tensor x, TimestepConditioning time, Tensor context, RotaryEmbedding3d rope, (long F, long H, long W) grid)
    {
        using var scope = NewDisposeScope();
        // [U, 6, C]: one row per distinct timestep, gathered per token chunk by chunk
        var table = modulation.to(ScalarType.Float32) + time.Projection;
        Tensor Chunk(int i) => time.Gather(table.select(1, i));

        var attention = self_attn.Forward(norm1.forward(x) * (1 + Chunk(1)) + Chunk(0), rope, grid);
        x = x + attention.to(ScalarType.Float32) * Chunk(2);

        var crossInput = norm3 is null ? x : norm3.forward(x);
        x = x + cross_attn.Forward(crossInput, context).to(ScalarType.Float32);

        var ffnInput = (norm2.forward(x) * (1 + Chunk(4)) + Chunk(3)).to(computeType);
        x = x + ffn.forward(ffnInput).to(ScalarType.Float32) * Chunk(5);
        return x.MoveToOuterDisposeScope();
    }
}
