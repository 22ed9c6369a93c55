using Svi.Inference.Text;
using Svi.Inference.Wan.Umt5;

namespace Svi.Inference.Weights.Layouts;

/// <summary>
/// The UMT5 encoder's tensors under <see cref="Umt5Encoder"/>'s parameter names (Wan's official T5 names), for any
/// <see cref="Umt5Config"/> (XXL: d_model 4096, d_ff 10240, 64 heads × 64, 24 layers, vocabulary 256384, 32
/// relative-position buckets per layer: UMT5 keeps one bias table per layer, T5 only in layer 0). Files in the
/// Hugging Face / ComfyUI T5 naming (Comfy-Org's <c>umt5_xxl_*</c>) are matched through
/// <see cref="Umt5CheckpointLayout.Layouts"/>, as the loader matches them.
/// </summary>
public static class Umt5EncoderLayout
{
    public static Dictionary<string, long[]> Tensors(Umt5Config config)
    {
        var c = config;
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["token_embedding.weight"] = [c.Vocab, c.Dim],
            ["norm.weight"] = [c.Dim],
        };
        if (c.SharedPos) t["pos_embedding.embedding.weight"] = [c.NumBuckets, c.NumHeads];
        for (int i = 0; i < c.NumLayers; i++)
        {
            string b = $"blocks.{i}";
            foreach (var p in new[] { "q", "k", "v" }) t[$"{b}.attn.{p}.weight"] = [c.DimAttn, c.Dim];
            t[$"{b}.attn.o.weight"] = [c.Dim, c.DimAttn];
            if (!c.SharedPos) t[$"{b}.pos_embedding.embedding.weight"] = [c.NumBuckets, c.NumHeads];
            t[$"{b}.norm1.weight"] = [c.Dim];
            t[$"{b}.ffn.gate.0.weight"] = [c.DimFfn, c.Dim];
            t[$"{b}.ffn.fc1.weight"] = [c.DimFfn, c.Dim];
            t[$"{b}.ffn.fc2.weight"] = [c.Dim, c.DimFfn];
            t[$"{b}.norm2.weight"] = [c.Dim];
        }
        return t;
    }

    /// <summary>Extra tensors (FP8 scales, an embedded tokenizer, a full T5's decoder) are tolerated; missing or misshapen ones are not.</summary>
    public static TensorLayout Layout(Umt5Config config) =>
        new("umt5-xxl-encoder", Tensors(config), Umt5CheckpointLayout.Layouts, RejectUnknownKeys: false,
            new HashSet<string>(StringComparer.Ordinal) { EmbeddedTokenizerKey });

    /// <summary>The SentencePiece model Comfy-Org's <c>umt5_xxl_*</c> files embed as a U8 tensor, which can serve as the tokenizer.</summary>
    public const string EmbeddedTokenizerKey = EmbeddedSentencePiece.ComfyTensor;
}
