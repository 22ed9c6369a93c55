using System.Text.RegularExpressions;

namespace Svi.Testing;

/// <summary>
/// The Hugging Face / ComfyUI T5 name (Comfy-Org's <c>umt5_xxl_*</c> files) of an official Wan UMT5 key: the tests' own
/// inverse of the loader's mapping, written from the HF T5 naming (wi_0 is the GELU-gated branch), so tests can prove
/// that the mapping takes such a file onto our module.
/// </summary>
public static class Umt5TransformersNames
{
    public static string ToHuggingFace(string officialKey)
    {
        if (officialKey == "token_embedding.weight") return "shared.weight";
        if (officialKey == "norm.weight") return "encoder.final_layer_norm.weight";
        var m = Regex.Match(officialKey, @"^blocks\.(\d+)\.(.+)\.weight$");
        string part = m.Groups[2].Value switch
        {
            "attn.q" => "layer.0.SelfAttention.q",
            "attn.k" => "layer.0.SelfAttention.k",
            "attn.v" => "layer.0.SelfAttention.v",
            "attn.o" => "layer.0.SelfAttention.o",
            "pos_embedding.embedding" => "layer.0.SelfAttention.relative_attention_bias",
            "norm1" => "layer.0.layer_norm",
            "norm2" => "layer.1.layer_norm",
            "ffn.gate.0" => "layer.1.DenseReluDense.wi_0",
            "ffn.fc1" => "layer.1.DenseReluDense.wi_1",
            "ffn.fc2" => "layer.1.DenseReluDense.wo",
            var other => throw new ArgumentException(other),
        };
        return $"encoder.block.{m.Groups[1].Value}.{part}.weight";
    }

    /// <summary>A tensor table renamed to the Hugging Face names.</summary>
    public static Dictionary<string, long[]> Renamed(IReadOnlyDictionary<string, long[]> official) =>
        official.ToDictionary(kv => ToHuggingFace(kv.Key), kv => kv.Value, StringComparer.Ordinal);
}
