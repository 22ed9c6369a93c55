using Svi.Inference.Wan;
using Svi.Inference.Weights;

namespace Svi.Server.Models.Layouts;

/// <summary>
/// UMT5-XXL encoder in the Hugging Face / ComfyUI T5 naming (d_model 4096, d_ff 10240, 64 heads × 64, 24 layers,
/// vocabulary 256384, 32 relative-position buckets per layer: UMT5 keeps one bias table per layer, T5 only in layer 0).
/// </summary>
public static class Umt5EncoderLayout
{
    public const int DModel = 4096, DFf = 10240, Heads = 64, DKv = 64, Layers = 24, Vocab = 256384, Buckets = 32;

    public static Dictionary<string, long[]> Tensors()
    {
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["shared.weight"] = [Vocab, DModel],
            ["encoder.final_layer_norm.weight"] = [DModel],
        };
        long inner = (long)Heads * DKv;
        for (int i = 0; i < Layers; i++)
        {
            string b = $"encoder.block.{i}.layer";
            foreach (var p in new[] { "q", "k", "v" }) t[$"{b}.0.SelfAttention.{p}.weight"] = [inner, DModel];
            t[$"{b}.0.SelfAttention.o.weight"] = [DModel, inner];
            t[$"{b}.0.SelfAttention.relative_attention_bias.weight"] = [Buckets, Heads];
            t[$"{b}.0.layer_norm.weight"] = [DModel];
            t[$"{b}.1.DenseReluDense.wi_0.weight"] = [DFf, DModel];
            t[$"{b}.1.DenseReluDense.wi_1.weight"] = [DFf, DModel];
            t[$"{b}.1.DenseReluDense.wo.weight"] = [DModel, DFf];
            t[$"{b}.1.layer_norm.weight"] = [DModel];
        }
        return t;
    }

    /// <summary>Extra tensors (FP8 scales, an embedded tokenizer) are tolerated; missing or misshapen ones are not.</summary>
    public static TensorLayout Layout() => new("umt5-xxl-encoder", Tensors(), false, Fp8ScaledConvention.IsCompanion);
}
