using System.Text.RegularExpressions;
using Svi.Inference.Wan;
using Svi.Inference.Weights;
using Svi.Kernels.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Text;

/// <summary>
/// The one place where foreign UMT5 checkpoint layouts are mapped onto <see cref="Umt5Encoder"/>'s names (which are the
/// official Wan keys). Layouts read:
/// <list type="bullet">
/// <item>official Wan (<c>token_embedding.weight</c>, <c>blocks.N.attn.q.weight</c>, …), any dtype;</item>
/// <item>Hugging Face T5 / Comfy-Org (<c>shared.weight</c> or <c>encoder.embed_tokens.weight</c>,
/// <c>encoder.block.N.layer.0.SelfAttention.q.weight</c>, <c>…layer.1.DenseReluDense.wi_0/wi_1/wo</c>,
/// <c>encoder.final_layer_norm.weight</c>), with an optional common prefix, including the FP8-scaled files
/// (<c>umt5_xxl_fp8_e4m3fn_scaled</c>: F8_E4M3 weights, a <c>scale_weight</c> per layer, a <c>scaled_fp8</c> marker).</item>
/// </list>
/// Decoder and LM-head tensors of full T5 files are ignored; anything else unknown, missing or mis-shaped is an error.
/// </summary>
public static partial class Umt5CheckpointLayout
{
    const string FinalNormKey = "encoder.final_layer_norm.weight";

    /// <summary>True when the file uses the Hugging Face T5 names (with <paramref name="prefix"/> before them).</summary>
    public static bool IsHuggingFaceLayout(SafetensorsFile file, out string prefix)
    {
        var final = file.Keys.FirstOrDefault(k => k.EndsWith(FinalNormKey, StringComparison.Ordinal));
        prefix = final is null ? "" : final[..^FinalNormKey.Length];
        return final is not null;
    }

    /// <summary>The official Wan key for a Hugging Face T5 encoder key (prefix removed), or null when it has none.</summary>
    public static string? ToOfficialKey(string huggingFaceKey)
    {
        if (huggingFaceKey is "shared.weight" or "encoder.embed_tokens.weight") return "token_embedding.weight";
        if (huggingFaceKey == FinalNormKey) return "norm.weight";
        var match = HuggingFaceBlockKey().Match(huggingFaceKey);
        if (!match.Success) return null;
        string block = match.Groups[1].Value;
        string? part = (match.Groups[2].Value, match.Groups[3].Value) switch
        {
            ("0", "SelfAttention.q") => "attn.q",
            ("0", "SelfAttention.k") => "attn.k",
            ("0", "SelfAttention.v") => "attn.v",
            ("0", "SelfAttention.o") => "attn.o",
            ("0", "SelfAttention.relative_attention_bias") => "pos_embedding.embedding",
            ("0", "layer_norm") => "norm1",
            ("1", "DenseReluDense.wi_0") => "ffn.gate.0",
            ("1", "DenseReluDense.wi_1") => "ffn.fc1",
            ("1", "DenseReluDense.wo") => "ffn.fc2",
            ("1", "layer_norm") => "norm2",
            _ => null,
        };
        return part is null ? null : $"blocks.{block}.{part}.weight";
    }

    [GeneratedRegex(@"^encoder\.block\.(\d+)\.layer\.([01])\.(.+)\.weight$")]
    private static partial Regex HuggingFaceBlockKey();

    /// <summary>Fills every parameter of <paramref name="encoder"/> from <paramref name="file"/>, whatever its layout.</summary>
    public static void LoadInto(Umt5Encoder encoder, SafetensorsFile file)
    {
        if (!IsHuggingFaceLayout(file, out string prefix))
        {
            StateDictLoader.LoadStrict(encoder, file);
            return;
        }

        var sources = new Dictionary<string, string>();   // official key → file key
        var problems = new List<string>();
        foreach (var key in file.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) { problems.Add($"unexpected '{key}'"); continue; }
            string name = key[prefix.Length..];
            if (IsIgnored(name)) continue;
            var official = ToOfficialKey(name);
            if (official is null) { problems.Add($"unexpected '{key}'"); continue; }
            // Both embedding names may be present (tied copies); the first one seen wins.
            sources.TryAdd(official, key);
        }

        foreach (var (name, target) in encoder.state_dict())
        {
            if (!sources.TryGetValue(name, out var key)) { problems.Add($"missing the tensor for '{name}'"); continue; }
            var entry = file.Entries[key];
            if (!entry.Shape.SequenceEqual(target.shape))
            {
                problems.Add($"'{key}' has shape [{string.Join(',', entry.Shape)}], the model needs [{string.Join(',', target.shape)}] for '{name}'");
                continue;
            }
            using var scope = NewDisposeScope();
            using (no_grad()) target.copy_(ReadDequantised(file, key, entry).to(target.dtype));
        }

        if (problems.Count > 0)
            throw new CheckpointFormatException(file.Path,
                $"{problems.Count} problem(s) loading a UMT5 encoder (Hugging Face layout, prefix '{prefix}'): {string.Join("; ", problems.Take(20))}");
    }

    static bool IsIgnored(string name) =>
        name == "scaled_fp8" || name.EndsWith(".scale_weight", StringComparison.Ordinal)
        || name.EndsWith(".scale_input", StringComparison.Ordinal)
        || name.StartsWith("decoder.", StringComparison.Ordinal) || name.StartsWith("lm_head.", StringComparison.Ordinal);

    // FP8-scaled files store W / scale as float8; the real weight is the decoded value times the per-layer scale.
    static Tensor ReadDequantised(SafetensorsFile file, string key, SafetensorsEntry entry)
    {
        var stored = file.Read(key);
        if (stored.dtype != SafetensorsDType.Float8E4M3FN && stored.dtype != SafetensorsDType.Float8E5M2) return stored;
        string scaleKey = key[..^".weight".Length] + ".scale_weight";
        if (!file.Contains(scaleKey))
            throw new CheckpointFormatException(file.Path, $"'{key}' is {entry.DType} but '{scaleKey}' is missing");
        return stored.to(ScalarType.Float32) * file.Read(scaleKey).to(ScalarType.Float32);
    }
}
