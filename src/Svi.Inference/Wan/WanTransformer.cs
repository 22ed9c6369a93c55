using Svi.Inference.Wan.Dit;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Wan;

/// <summary>
/// The Wan 2.2 diffusion transformer (the reference's <c>WanModel</c>): patch embedding, sinusoidal time
/// embedding → six-way modulation, text embedding, <see cref="WanConfig.NumLayers"/> blocks, head, unpatchify.
/// Field names are the checkpoint's key names, so an official state dict loads with
/// <see cref="Weights.StateDictLoader.LoadStrict"/> unchanged.
/// <para>
/// Dtype policy (the reference's): the patch embedding, text embedding and every block projection and attention
/// run in <see cref="ComputeType"/> (fp32 or bf16); the time MLP, the modulation math, the norms, the residual
/// stream, the RoPE rotation and the head stay fp32, and their parameters are held in fp32.
/// </para>
/// </summary>
public sealed class WanTransformer : nn.Module
{
    readonly RotaryEmbedding3d rope;

    // Named as the checkpoint's keys: TorchSharp registers each field under its name.
    readonly PatchEmbedding patch_embedding;
    readonly Mlp text_embedding;
    readonly Mlp time_embedding;
    readonly TimeProjection time_projection;
    readonly TorchSharp.Modules.ModuleList<WanAttentionBlock> blocks;
    readonly WanHead head;

    public WanTransformer(WanConfig config) : this(config, ScalarType.Float32) { }

    /// <param name="computeType">Float32 (conformance, CPU) or BFloat16 (the published models' precision)</param>
    public WanTransformer(WanConfig config, ScalarType computeType) : base(nameof(WanTransformer))
    {
        if (computeType is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"compute dtype {computeType} is not a float type the DiT runs in", nameof(computeType));
        Config = config;
        ComputeType = computeType;
        rope = new RotaryEmbedding3d(config.HeadDim);
        var p = config.PatchSize;
        patch_embedding = new PatchEmbedding(config.InDim, config.Dim, p, computeType);
        text_embedding = new Mlp(config.TextDim, config.Dim, config.Dim, MlpActivation.GeluTanh, computeType);
        time_embedding = new Mlp(config.FreqDim, config.Dim, config.Dim, MlpActivation.Silu, ScalarType.Float32);
        time_projection = new TimeProjection(config.Dim, ScalarType.Float32);
        blocks = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(_ => new WanAttentionBlock(config, computeType)).ToArray());
        head = new WanHead(config.Dim, config.OutDim, config.PatchVolume, config.Eps);
        RegisterComponents();
        foreach (var parameter in parameters()) parameter.requires_grad = false;
    }

    public WanConfig Config { get; }
    public ScalarType ComputeType { get; }
    public RotaryEmbedding3d Rope => rope;
    public IReadOnlyList<WanAttentionBlock> Blocks => new System.Collections.ObjectModel.ReadOnlyCollection<WanAttentionBlock>(blocks);

    /// <summary>
    /// Called before and after each block runs (after, even when the block throws), with its index: where a memory
    /// plan that keeps blocks off the device (block swap) moves them in and out. Null: every block is resident.
    /// </summary>
    public Action<int, WanAttentionBlock>? BeforeBlock { get; set; }
    public Action<int, WanAttentionBlock>? AfterBlock { get; set; }

    /// <summary>
    /// TI2V's per-token timesteps: the tokens of the first latent frame (the encoded image) get 0, all
    /// others t, as Wan's TI2V sampling builds them from its mask.
    /// </summary>
    // → [1, L], L = (F/pt)·(H/ph)·(W/pw) for a latent of F×H×W
    public Tensor Ti2vTimesteps(float timestep, long latentFrames, long latentHeight, long latentWidth)
    {
        var p = Config.PatchSize;
        long frames = latentFrames / p[0], perFrame = latentHeight / p[1] * (latentWidth / p[2]);
        var result = full(1, frames * perFrame, timestep, dtype: ScalarType.Float32);
        result[.., ..(int)perFrame] = 0f;
        return result;
    }

    /// <summary>Builds the model for a checkpoint's config and loads it strictly (every key, exact shapes).</summary>
    public static WanTransformer Load(WanConfig config, SafetensorsFile weights, ScalarType computeType = ScalarType.Float32, string keyPrefix = "")
    {
        var model = new WanTransformer(config, computeType);
        Weights.StateDictLoader.LoadStrict(model, weights, keyPrefix);
        model.eval();
        return model;
    }

    // x: [B, in_dim, F, H, W] (for i2v the caller has concatenated [noise; y]); timestep: [B] or [B, L];
    // context: [B, Lc, text_dim] (padded to text_len inside) → [B, out_dim, F, H, W] fp32
    public Tensor Forward(Tensor x, Tensor timestep, Tensor context) => Forward(x, timestep, context, observe: null);

    /// <param name="observe">
    /// called with each intermediate under the golden sets' names (<c>patch_embedded</c>, <c>time_embedding_e</c>,
    /// <c>time_projection_e0</c>, <c>text_embedded</c>, <c>block{i}_out</c>, <c>head_out</c>), each [B, …]; the tensor
    /// is only valid during the call
    /// </param>
    public Tensor Forward(Tensor x, Tensor timestep, Tensor context, Action<string, Tensor>? observe)
    {
        CheckInputs(x, timestep, context);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long batch = x.shape[0];

        // The residual stream: [B, L, dim] fp32, tokens in raster order frame → row → column, updated in place by
        // every block, so a forward holds one stream and one block's temporaries whatever the depth.
        var (tokens, grid) = EmbedPatches(x);
        long length = tokens.shape[1];
        if (timestep.dim() == 2 && timestep.shape[1] != length)
            throw new ArgumentException($"per-token timestep has {timestep.shape[1]} entries but the latent has {length} tokens", nameof(timestep));
        observe?.Invoke("patch_embedded", tokens);

        using var time = EmbedTime(timestep.to(x.device));
        if (observe is not null)
        {
            observe("time_embedding_e", time.Gather(time.Embedding).expand(batch, length, -1));
            observe("time_projection_e0", time.Gather(time.Projection.flatten(1)).expand(batch, length, -1));
        }

        var text = EmbedText(context.to(x.device));
        observe?.Invoke("text_embedded", text);

        for (int i = 0; i < blocks.Count; i++)
        {
            using var blockScope = NewDisposeScope();
            BeforeBlock?.Invoke(i, blocks[i]);
            // A block that fails still gets its AfterBlock, so a streamed block never stays on the device.
            try { blocks[i].Forward(tokens, time, text, rope, grid); }
            finally { AfterBlock?.Invoke(i, blocks[i]); }
            observe?.Invoke($"block{i}_out", tokens);
        }
        text.Dispose();

        var headOut = head.Forward(tokens, time);
        tokens.Dispose();
        observe?.Invoke("head_out", headOut);
        return Unpatchify(headOut, grid).MoveToOuterDisposeScope();
    }

    // x: [B, in_dim, F, H, W] → a fresh fp32 stream [B, L, dim] and the token grid
    (Tensor Tokens, (long F, long H, long W) Grid) EmbedPatches(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (embedded, grid) = patch_embedding.Forward(x.to(ComputeType));
        var tokens = embedded.to(ScalarType.Float32);
        return (tokens.MoveToOuterDisposeScope(), grid);
    }

    void CheckInputs(Tensor x, Tensor timestep, Tensor context)
    {
        if (x.dim() != 5 || x.shape[1] != Config.InDim)
            throw new ArgumentException($"x must be [B, {Config.InDim}, F, H, W], got [{string.Join(',', x.shape)}]", nameof(x));
        var p = Config.PatchSize;
        if (x.shape[2] % p[0] != 0 || x.shape[3] % p[1] != 0 || x.shape[4] % p[2] != 0)
            throw new ArgumentException($"latent [{string.Join(',', x.shape[2..])}] is not divisible by the patch [{string.Join(',', p)}]", nameof(x));
        if (timestep.shape[0] != x.shape[0] || timestep.dim() is not (1 or 2))
            throw new ArgumentException($"timestep must be [B] or [B, L] with B = {x.shape[0]}, got [{string.Join(',', timestep.shape)}]", nameof(timestep));
        if (context.dim() != 3 || context.shape[0] != x.shape[0] || context.shape[2] != Config.TextDim)
            throw new ArgumentException($"context must be [{x.shape[0]}, Lc, {Config.TextDim}], got [{string.Join(',', context.shape)}]", nameof(context));
        if (context.shape[1] > Config.TextLen)
            throw new ArgumentException($"context has {context.shape[1]} rows, more than text_len {Config.TextLen}", nameof(context));
    }

    // timestep: [B] or [B, L] → e [U, dim], e0 [U, 6, dim] (fp32) and each token's row
    TimestepConditioning EmbedTime(Tensor timestep)
    {
        using var scope = NewDisposeScope();
        var (values, rows) = TimestepConditioning.Distinct(timestep);
        var e = time_embedding.forward(TimestepConditioning.Sinusoid(values, Config.FreqDim));
        var e0 = time_projection.forward(e).unflatten(1, [6, Config.Dim]);
        return new TimestepConditioning(e.MoveToOuterDisposeScope(), e0.MoveToOuterDisposeScope(), rows.MoveToOuterDisposeScope());
    }

    // context: [B, Lc, text_dim] → zero rows appended up to text_len → [B, text_len, dim] in the compute dtype
    Tensor EmbedText(Tensor context)
    {
        using var scope = NewDisposeScope();
        var padded = context.to(ComputeType);
        long missing = Config.TextLen - context.shape[1];
        if (missing > 0)
            padded = cat([padded, zeros(context.shape[0], missing, context.shape[2], dtype: ComputeType, device: context.device)], 1);
        return text_embedding.forward(padded).MoveToOuterDisposeScope();
    }

    // x: [B, L, pt·ph·pw·c] → [B, c, F·pt, H·ph, W·pw]
    Tensor Unpatchify(Tensor x, (long F, long H, long W) grid)
    {
        var p = Config.PatchSize;
        long c = Config.OutDim;
        return x.view(x.shape[0], grid.F, grid.H, grid.W, p[0], p[1], p[2], c)
            .permute(0, 7, 1, 4, 2, 5, 3, 6)
            .reshape(x.shape[0], c, grid.F * p[0], grid.H * p[1], grid.W * p[2]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) rope.Dispose();
        base.Dispose(disposing);
    }
}
