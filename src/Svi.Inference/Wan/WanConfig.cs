using System.Text.Json;
using Svi.Inference.Weights;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Wan;

/// <summary>
/// The constructor numbers of a Wan 2.x DiT (the reference's <c>WanModel</c>). Presets hold the published models;
/// <see cref="FromJson"/> reads a golden set's, an official or a diffusers <c>config.json</c>;
/// <see cref="InferFromShapes(SafetensorsFile, string)"/> recovers it from a single-file checkpoint that ships no config.
/// </summary>
public sealed record WanConfig(
    string ModelType, int[] PatchSize, int TextLen, int InDim, int Dim, int FfnDim, int FreqDim,
    int TextDim, int OutDim, int NumHeads, int NumLayers, bool QkNorm, bool CrossAttnNorm, double Eps)
{
    /// <summary>Every published Wan 2.x DiT uses heads of 128 channels; single files carry no head count.</summary>
    public const int PublishedHeadDim = 128;

    public int HeadDim => Dim / NumHeads;
    public int PatchVolume => PatchSize[0] * PatchSize[1] * PatchSize[2];

    /// <summary>Wan 2.2 I2V-A14B, each expert: noise 16 + mask 4 + condition 16 input channels, no CLIP branch.</summary>
    public static WanConfig I2vA14B { get; } = new(
        ModelType: "i2v", PatchSize: [1, 2, 2], TextLen: 512, InDim: 36, Dim: 5120, FfnDim: 13824, FreqDim: 256,
        TextDim: 4096, OutDim: 16, NumHeads: 40, NumLayers: 40, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6);
    public static WanConfig T2vA14B { get; } = I2vA14B with { ModelType = "t2v", InDim = 16 };
    /// <summary>Wan 2.2 TI2V-5B on the 48-channel Wan 2.2 VAE latent (per-token timesteps).</summary>
    public static WanConfig Ti2v5B { get; } = new(
        ModelType: "ti2v", PatchSize: [1, 2, 2], TextLen: 512, InDim: 48, Dim: 3072, FfnDim: 14336, FreqDim: 256,
        TextDim: 4096, OutDim: 48, NumHeads: 24, NumLayers: 30, QkNorm: true, CrossAttnNorm: true, Eps: 1e-6);

    /// <summary>
    /// Reads a config.json: the reference's own names (golden sets, official <c>config.json</c> beside the shards)
    /// or the diffusers <c>WanTransformer3DModel</c> names. Absent optional fields take the reference defaults.
    /// </summary>
    public static WanConfig FromJson(JsonElement json, string source = "config.json")
    {
        bool diffusers = json.TryGetProperty("num_attention_heads", out _) || json.TryGetProperty("in_channels", out _);
        if (json.TryGetProperty("window_size", out var window) && window.ValueKind == JsonValueKind.Array &&
            window.EnumerateArray().Any(w => w.GetInt32() != -1))
            throw new CheckpointFormatException(source, "local attention (window_size other than [-1, -1]) is not supported: Wan 2.2 attends globally");
        if (json.TryGetProperty("image_dim", out var image) && image.ValueKind == JsonValueKind.Number)
            throw new CheckpointFormatException(source, "it has a CLIP image branch (image_dim): that is Wan 2.1 I2V, not Wan 2.2");
        // the diffusers names where they differ from the reference's
        string Key(string reference, string diffusersName) => diffusers ? diffusersName : reference;
        int Int(string key, int? fallback = null) =>
            json.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32()
            : fallback ?? throw new CheckpointFormatException(source, $"config has no '{key}'");

        int heads = Int(Key("num_heads", "num_attention_heads"));
        int dim = diffusers ? heads * Int("attention_head_dim") : Int("dim");
        int[] patch = json.TryGetProperty("patch_size", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(e => e.GetInt32()).ToArray()
            : [1, 2, 2];
        int inDim = Int(Key("in_dim", "in_channels"));
        int outDim = Int(Key("out_dim", "out_channels"), 16);
        string modelType = json.TryGetProperty("model_type", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : ModelTypeFromChannels(inDim, outDim);
        // reference: a bool; diffusers: the norm's name ("rms_norm_across_heads") or null
        bool qkNorm = !json.TryGetProperty("qk_norm", out var q) || q.ValueKind switch
        {
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => q.GetString() is { Length: > 0 },
            _ => true,
        };
        bool crossAttnNorm = !json.TryGetProperty("cross_attn_norm", out var c) || c.ValueKind != JsonValueKind.False;
        double eps = json.TryGetProperty("eps", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 1e-6;
        var config = new WanConfig(
            ModelType: modelType, PatchSize: patch, TextLen: Int("text_len", 512), InDim: inDim, Dim: dim,
            FfnDim: Int("ffn_dim"), FreqDim: Int("freq_dim", 256), TextDim: Int("text_dim", 4096), OutDim: outDim,
            NumHeads: heads, NumLayers: Int("num_layers"), QkNorm: qkNorm, CrossAttnNorm: crossAttnNorm, Eps: eps);
        config.Validate(source);
        return config;
    }

    public static WanConfig FromJsonFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return FromJson(document.RootElement, path);
    }

    /// <summary>
    /// Recovers the config from parameter shapes (Comfy single files have no config.json). Heads are
    /// dim / 128 as in every published model; text_len is the published 512.
    /// </summary>
    /// <param name="shapes">key → shape for every tensor in the checkpoint</param>
    /// <param name="keyPrefix">e.g. <c>diffusion_model.</c>, stripped before the official names are looked up</param>
    public static WanConfig InferFromShapes(IReadOnlyDictionary<string, long[]> shapes, string keyPrefix = "", string source = "checkpoint")
    {
        long[] Shape(string key) => shapes.TryGetValue(keyPrefix + key, out var s)
            ? s
            : throw new CheckpointFormatException(source, $"'{keyPrefix + key}' is missing, so this is not a Wan DiT checkpoint");

        var patchWeight = Shape("patch_embedding.weight");
        if (patchWeight.Length != 5) throw new CheckpointFormatException(source, $"'{keyPrefix}patch_embedding.weight' is not a Conv3d weight");
        if (shapes.Keys.Any(k => k.StartsWith(keyPrefix + "img_emb.", StringComparison.Ordinal)))
            throw new CheckpointFormatException(source, "it has a CLIP image branch (img_emb.*): that is Wan 2.1 I2V, not Wan 2.2");
        int dim = (int)patchWeight[0];
        int inDim = (int)patchWeight[1];
        int[] patch = [(int)patchWeight[2], (int)patchWeight[3], (int)patchWeight[4]];
        int layers = 0;
        string blockPrefix = keyPrefix + "blocks.";
        foreach (var key in shapes.Keys.Where(k => k.StartsWith(blockPrefix, StringComparison.Ordinal)))
        {
            var rest = key.AsSpan(blockPrefix.Length);
            int dot = rest.IndexOf('.');
            if (dot > 0 && int.TryParse(rest[..dot], out int index)) layers = Math.Max(layers, index + 1);
        }
        int outDim = (int)(Shape("head.head.weight")[0] / (patch[0] * patch[1] * patch[2]));
        var config = new WanConfig(
            ModelType: ModelTypeFromChannels(inDim, outDim), PatchSize: patch, TextLen: 512, InDim: inDim, Dim: dim,
            FfnDim: (int)Shape("blocks.0.ffn.0.weight")[0], FreqDim: (int)Shape("time_embedding.0.weight")[1],
            TextDim: (int)Shape("text_embedding.0.weight")[1], OutDim: outDim, NumHeads: dim / PublishedHeadDim,
            NumLayers: layers, QkNorm: shapes.ContainsKey(keyPrefix + "blocks.0.self_attn.norm_q.weight"),
            CrossAttnNorm: shapes.ContainsKey(keyPrefix + "blocks.0.norm3.weight"), Eps: 1e-6);
        config.Validate(source);
        return config;
    }

    public static WanConfig InferFromShapes(SafetensorsFile file, string keyPrefix = "")
        => InferFromShapes(file.Entries.ToDictionary(e => e.Key, e => e.Value.Shape), keyPrefix, file.Path);

    static string ModelTypeFromChannels(int inDim, int outDim) => (inDim, outDim) switch
    {
        (16, 16) => "t2v",
        (48, 48) => "ti2v",
        _ when inDim > outDim => "i2v",
        _ => "t2v",
    };

    void Validate(string source)
    {
        string? problem =
            PatchSize.Length != 3 ? "patch_size must have 3 entries" :
            NumHeads <= 0 || Dim % NumHeads != 0 ? $"dim {Dim} is not a multiple of num_heads {NumHeads}" :
            HeadDim % 2 != 0 ? $"head dim {HeadDim} is odd (RoPE rotates channel pairs)" :
            FreqDim % 2 != 0 ? $"freq_dim {FreqDim} is odd" :
            ModelType is not ("t2v" or "i2v" or "ti2v") ? $"model_type '{ModelType}' is not supported (t2v, i2v, ti2v)" :
            null;
        if (problem is not null) throw new CheckpointFormatException(source, problem);
    }

    public override string ToString() =>
        $"WanConfig {{ {ModelType}, patch [{string.Join(',', PatchSize)}], dim {Dim}, ffn {FfnDim}, heads {NumHeads}, layers {NumLayers}, " +
        $"in {InDim}, out {OutDim}, text {TextDim}×{TextLen}, freq {FreqDim}, qk_norm {QkNorm}, cross_attn_norm {CrossAttnNorm}, eps {Eps} }}";
}
