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

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly WanLayerNorm norm1, norm2;
    readonly WanLayerNorm? norm3;
    readonly WanSelfAttention self_attn;
    readonly WanCrossAttention cross_attn;
    readonly Mlp ffn;
    readonly TorchSharp.Modules.Parameter modulation;

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

    /// <summary>
    /// Adds the block's three branches to the residual stream <paramref name="x"/> in place. Each branch runs in its own
    /// dispose scope, so at most one branch's temporaries are alive besides the stream.
    /// </summary>
    // x: [B, L, C] fp32, updated in place; context: [B, text_len, C]
    public void Forward(Tensor x, TimestepConditioning time, Tensor context, RotaryEmbedding3d rope, (long F, long H, long W) grid)
    {
        using var scope = NewDisposeScope();
        // [U, 6, C]: one row per distinct timestep
        var table = modulation.to(ScalarType.Float32) + time.Projection;
        Tensor Row(int i) => time.PerToken(table.select(1, i));

        using (NewDisposeScope())
        {
            var attention = self_attn.Forward(ModulatedInput(norm1, x, Row(1), Row(0)), rope, grid);
            x.addcmul_(attention, Row(2), 1);
        }
        using (NewDisposeScope())
        {
            var crossInput = norm3 is null ? x : norm3.forward(x);
            x.add_(cross_attn.Forward(crossInput, context));
        }
        using (NewDisposeScope())
        {
            var hidden = ffn.forward(ModulatedInput(norm2, x, Row(4), Row(3)));
            x.addcmul_(hidden, Row(5), 1);
        }
    }

    // norm(x)·(1 + scale) + shift in fp32, handed to the projections in the compute dtype
    Tensor ModulatedInput(WanLayerNorm norm, Tensor x, Tensor scale, Tensor shift)
    {
        var modulated = norm.Modulated(x, scale, shift);
        if (modulated.dtype == computeType) return modulated;
        var input = modulated.to(computeType);
        modulated.Dispose();
        return input;
    }
}
