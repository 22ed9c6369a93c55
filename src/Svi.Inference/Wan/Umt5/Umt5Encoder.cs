using Svi.Inference.Weights;
using TorchSharp;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// The UMT5 encoder Wan conditions on (<c>T5Encoder</c> in the official code). Field names are the official
/// checkpoint's keys (<c>token_embedding.weight</c>, <c>blocks.N.attn.q.weight</c>, <c>blocks.N.ffn.gate.0.weight</c>,
/// <c>blocks.N.pos_embedding.embedding.weight</c>, <c>norm.weight</c>), so a Wan state dict loads unchanged.
/// </summary>
public sealed class Umt5Encoder : nn.Module<Tensor, Tensor, Tensor>
{
    public Umt5Encoder(Umt5Config config, ScalarType dtype = ScalarType.Float32) : base(nameof(Umt5Encoder))
    {
        config.Validate();
        Config = config;
        token_embedding = new Umt5Embedding(config.Vocab, config.Dim, dtype);
        pos_embedding = config.SharedPos
            ? new Umt5RelativePositionBias(config.NumBuckets, config.NumHeads, config.MaxDistance, dtype) : null;
        blocks = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(_ => new Umt5Block(config, dtype)).ToArray());
        norm = new Umt5LayerNorm(config.Dim, config.Eps, dtype);
        RegisterComponents();
    }

    public Umt5Config Config { get; }

    readonly Umt5Embedding token_embedding;
    readonly Umt5RelativePositionBias? pos_embedding;
    readonly TorchSharp.Modules.ModuleList<Umt5Block> blocks;
    readonly Umt5LayerNorm norm;

    public ScalarType DType => token_embedding.DType;
    public Device Device => token_embedding.Device;

    // ids: [B, L] int64, mask: [B, L] (1 = token, 0 = padding) → [B, L, dim] after the final norm, padding rows included
    public override Tensor forward(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        ids = ids.to(ScalarType.Int64, Device);
        mask = mask.to(Device);
        var x = token_embedding.forward(ids);
        var shared = pos_embedding?.forward(ids.shape[1]);
        foreach (var block in blocks)
            x = block.forward(x, mask, shared);
        return norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Builds the encoder for <paramref name="config"/> and fills it from a checkpoint in the official Wan layout or
    /// the Hugging Face / Comfy-Org T5 layout (FP8-scaled included; FP8 weights stay FP8 and are decoded per layer
    /// unless <paramref name="options"/> says otherwise); see <see cref="Umt5CheckpointLayout"/>.
    /// </summary>
    public static Umt5Encoder Load(string checkpointPath, Umt5Config config, ScalarType dtype = ScalarType.BFloat16,
        Device? device = null, WeightLoadOptions? options = null)
    {
        var encoder = new Umt5Encoder(config, dtype);
        try
        {
            Umt5CheckpointLayout.LoadInto(encoder, checkpointPath, options);
            if (device is not null && device.type != DeviceType.CPU) encoder.to(device);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
        encoder.eval();
        return encoder;
    }
}
