using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Svi.Inference.Interpolation;
using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights.Layouts;
using Svi.Kernels.Safetensors;

namespace Svi.Server.Models;

/// <summary>
/// The architectures a manifest may name, and how a file (or a role's set of shards) is checked against each.
/// Safetensors files are checked from their header only (keys, shapes, dtypes), so a wrong file fails in seconds.
/// </summary>
public static class Architectures
{
    static readonly Dictionary<string, Func<string, IReadOnlyDictionary<string, SafetensorsEntry>, IReadOnlyList<string>>> SafetensorsChecks =
        new(StringComparer.Ordinal)
        {
            ["wan-dit-i2v-a14b"] = (dt, e) => WanDitLayout.Layout("the Wan2.2 I2V-A14B transformer", WanConfig.I2vA14B).Check(e, dt),
            ["wan-dit-t2v-a14b"] = (dt, e) => WanDitLayout.Layout("the Wan2.2 T2V-A14B transformer", WanConfig.T2vA14B).Check(e, dt),
            ["umt5-xxl-encoder"] = (dt, e) => Umt5EncoderLayout.Layout(Umt5Config.Xxl).Check(e, dt),
            ["wan21-vae"] = (dt, e) => WanVaeLayout.Layout(WanVaeConfig.Wan21).Check(e, dt),
            ["svi-lora-a14b"] = (dt, e) => new LoraLayout("SVI 2.0 Pro LoRA", WanConfig.I2vA14B, requireAllBlockLinears: true).Check(e, dt),
            ["lora-wan-a14b"] = (dt, e) => new LoraLayout("Wan A14B LoRA", WanConfig.I2vA14B, requireAllBlockLinears: false).Check(e, dt),
            ["lora-wan-t2v-a14b"] = (dt, e) => new LoraLayout("Wan T2V-A14B LoRA", WanConfig.T2vA14B, requireAllBlockLinears: false).Check(e, dt),
        };

    static readonly HashSet<string> OtherFormats = new(StringComparer.Ordinal)
    {
        "safetensors-index", "wan-dit-config", "umt5-xxl-encoder-wan", "wan21-vae-wan", "sentencepiece", "tokenizer-config",
        "rife-v4-onnx",
    };

    public static bool IsKnown(string name) => SafetensorsChecks.ContainsKey(name) || OtherFormats.Contains(name);
    public static bool IsSafetensors(string name) => SafetensorsChecks.ContainsKey(name);

    /// <summary>Checks the union of the headers of <paramref name="paths"/> (one file, or all shards of one expert).</summary>
    public static IReadOnlyList<string> CheckSafetensors(string architecture, IReadOnlyList<string> paths, string weightDType)
    {
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (var (k, v) in file.Entries)
                    if (!entries.TryAdd(k, v)) problems.Add($"{k} appears in more than one shard");
            }
            catch (SafetensorsFormatException e) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) return problems;
        return SafetensorsChecks[architecture](weightDType, entries);
    }

    /// <summary>Checks a file that is not safetensors by its format's signature and content.</summary>
    public static IReadOnlyList<string> CheckOther(string architecture, string path, IReadOnlyCollection<string> siblingShards)
    {
        switch (architecture)
        {
            case "umt5-xxl-encoder-wan" or "wan21-vae-wan":
                // torch.save writes a zip archive; an HTML error page or a truncated download is caught here.
                return StartsWith(path, "PK\u0003\u0004"u8) ? [] : ["not a PyTorch zip checkpoint (no PK header)"];
            case "sentencepiece":
                // A ModelProto starts with field 1 (pieces), length-delimited: tag byte 0x0A.
                return StartsWith(path, [0x0A]) ? [] : ["not a SentencePiece model (expected a protobuf starting with 0x0A)"];
            case "tokenizer-config":
                return ParseJson(path, _ => []);
            case "rife-v4-onnx":
                return CheckRifeGraph(path);
            case "wan-dit-config":
                return ParseJson(path, root =>
                {
                    var wrong = new List<string>();
                    // The I2V and T2V A14B experts share these sizes; only in_dim tells them apart.
                    var a14b = WanConfig.I2vA14B;
                    foreach (var (key, expected) in new[]
                             { ("dim", a14b.Dim), ("num_layers", a14b.NumLayers), ("num_heads", a14b.NumHeads), ("ffn_dim", a14b.FfnDim) })
                        if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() != expected)
                            wrong.Add($"{key} is {v.GetInt32()}, expected {expected}");
                    return wrong;
                });
            case "safetensors-index":
                return ParseJson(path, root =>
                {
                    if (!root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                        return ["no weight_map"];
                    var names = map.EnumerateObject().Select(p => p.Value.GetString() ?? "").Distinct().ToList();
                    var known = siblingShards.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
                    var stray = names.Where(n => !known.Contains(n)).ToList();
                    return stray.Count == 0 ? [] : [$"weight_map names shards the manifest does not list: {string.Join(", ", stray.Take(5))}"];
                });
            default:
                throw new ArgumentException($"'{architecture}' is not a known non-safetensors architecture", nameof(architecture));
        }
    }

    // ONNX Runtime reads the graph on the CPU (no weights leave the file): its inputs and outputs must be RIFE's.
    static IReadOnlyList<string> CheckRifeGraph(string path)
    {
        if (OnnxRuntimeAvailability.Problem is { } problem)
            return [$"cannot be checked: this build's ONNX Runtime does not load ({problem})"];
        try
        {
            using var session = new InferenceSession(path);
            return RifeSignature.Problems(session);
        }
        catch (OnnxRuntimeException e)
        {
            return [$"not an ONNX graph ONNX Runtime can load ({e.Message.Split('\n')[0]})"];
        }
    }

    static bool StartsWith(string path, ReadOnlySpan<byte> magic)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[magic.Length];
        return stream.ReadAtLeast(head, magic.Length, throwOnEndOfStream: false) == magic.Length && head.SequenceEqual(magic);
    }

    static IReadOnlyList<string> ParseJson(string path, Func<JsonElement, IReadOnlyList<string>> check)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path, Encoding.UTF8));
            return check(doc.RootElement);
        }
        catch (JsonException e) { return [$"not valid JSON ({e.Message})"]; }
    }
}
