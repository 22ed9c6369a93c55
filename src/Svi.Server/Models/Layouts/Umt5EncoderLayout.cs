using Svi.Inference.Wan.Umt5;
using Svi.Inference.Weights;

namespace Svi.Server.Models.Layouts;

/// <summary>
/// UMT5 encoder in the Hugging Face / ComfyUI T5 naming that Comfy-Org's <c>umt5_xxl_*</c> files use, for any
/// <see cref="Umt5Config"/> (XXL: d_model 4096, d_ff 10240, 64 heads × 64, 24 layers, vocabulary 256384, 32
/// relative-position buckets per layer: UMT5 keeps one bias table per layer, T5 only in layer 0). The loader maps
/// these names onto <see cref="Svi.Inference.Wan.Umt5Encoder"/> with <see cref="KeyLayout.Umt5Transformers"/>;
/// a test checks that the two agree.
/// </summary>
public static class Umt5EncoderLayout
{
    public static Dictionary<string, long[]> Tensors(Umt5Config? config = null)
    {
        var c = config ?? Umt5Config.Xxl;
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["shared.weight"] = [c.Vocab, c.Dim],
            ["encoder.final_layer_norm.weight"] = [c.Dim],
        };
        for (int i = 0; i < c.NumLayers; i++)
        {
            string b = $"encoder.block.{i}.layer";
            foreach (var p in new[] { "q", "k", "v" }) t[$"{b}.0.SelfAttention.{p}.weight"] = [c.DimAttn, c.Dim];
            t[$"{b}.0.SelfAttention.o.weight"] = [c.Dim, c.DimAttn];
            if (!c.SharedPos || i == 0) t[$"{b}.0.SelfAttention.relative_attention_bias.weight"] = [c.NumBuckets, c.NumHeads];
            t[$"{b}.0.layer_norm.weight"] = [c.Dim];
            t[$"{b}.1.DenseReluDense.wi_0.weight"] = [c.DimFfn, c.Dim];
            t[$"{b}.1.DenseReluDense.wi_1.weight"] = [c.DimFfn, c.Dim];
            t[$"{b}.1.DenseReluDense.wo.weight"] = [c.Dim, c.DimFfn];
            t[$"{b}.1.layer_norm.weight"] = [c.Dim];
        }
        return t;
    }

    /// <summary>The SentencePiece model Comfy-Org's <c>umt5_xxl_*</c> files embed as a U8 tensor; the tokenizer is read from <c>spiece.model</c>.</summary>
    public const string EmbeddedTokenizerKey = "spiece_model";

    /// <summary>Extra tensors (FP8 scales, the embedded tokenizer) are tolerated; missing or misshapen ones are not.</summary>
    public static TensorLayout Layout() => new("umt5-xxl-encoder", Tensors(), false, Fp8ScaledConvention.IsCompanion,
        new HashSet<string>(StringComparer.Ordinal) { EmbeddedTokenizerKey });
}
