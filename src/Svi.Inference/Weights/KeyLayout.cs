namespace Svi.Inference.Weights;

/// <summary>
/// How a checkpoint's key names relate to our module's parameter names. Our modules are named like the official
/// checkpoints, so the official layout is the identity; every foreign layout is a rename applied once, at load
/// time, here. <see cref="ToModuleKey"/> returns null for a key that is not part of the layout;
/// <see cref="Ignores"/> names keys a layout knows to carry and we do not use (a full T5's decoder).
/// </summary>
public sealed record KeyLayout(string Name, Func<string, string?> ToModuleKey, Func<string, bool>? Ignores = null)
{
    /// <summary>The official key names (Wan-Video releases, the golden sets).</summary>
    public static readonly KeyLayout Official = new("official", key => key);

    /// <summary>Comfy-Org repackaged files: <c>model.diffusion_model.blocks.0…</c> or <c>diffusion_model.blocks.0…</c>.</summary>
    public static readonly KeyLayout ComfyModelDiffusionModel = Prefixed("model.diffusion_model.");
    public static readonly KeyLayout ComfyDiffusionModel = Prefixed("diffusion_model.");

    /// <summary>
    /// The Hugging Face T5 names UMT5 checkpoints use outside Wan's own release (Comfy-Org's
    /// <c>umt5_xxl_fp8_e4m3fn_scaled</c>, <c>google/umt5-xxl</c>), mapped to the names of Wan's T5 encoder
    /// (<c>blocks.N.attn.q</c>, <c>blocks.N.ffn.gate.0</c>, …). The gated-GELU pair: <c>wi_0</c> goes through
    /// GELU (Wan's <c>gate.0</c>), <c>wi_1</c> is the linear branch (Wan's <c>fc1</c>).
    /// </summary>
    public static readonly KeyLayout Umt5Transformers = new("umt5-transformers", MapUmt5,
        key => key.StartsWith("decoder.", StringComparison.Ordinal) || key.StartsWith("lm_head.", StringComparison.Ordinal));

    public static KeyLayout Prefixed(string prefix) =>
        new($"prefix '{prefix}'", key => key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null);

    /// <summary>Every layout we recognise, in order of preference when two match equally well.</summary>
    public static readonly IReadOnlyList<KeyLayout> Known =
        [Official, ComfyModelDiffusionModel, ComfyDiffusionModel, Umt5Transformers];

    /// <summary>
    /// The layout under which most of the checkpoint's keys name a parameter of the module. Detection is by
    /// evidence, not by file name, so a renamed file still loads.
    /// </summary>
    public static KeyLayout Detect(IEnumerable<string> checkpointKeys, IReadOnlySet<string> moduleKeys, IEnumerable<KeyLayout>? candidates = null)
    {
        var keys = checkpointKeys.ToList();
        KeyLayout best = Official;
        int bestHits = -1;
        foreach (var layout in candidates ?? Known)
        {
            int hits = keys.Count(k => layout.ToModuleKey(k) is { } m && moduleKeys.Contains(m));
            if (hits > bestHits) (best, bestHits) = (layout, hits);
        }
        return best;
    }

    static string? MapUmt5(string key)
    {
        foreach (var prefix in new[] { "text_encoders.umt5xxl.transformer.", "umt5xxl.transformer.", "transformer." })
            if (key.StartsWith(prefix, StringComparison.Ordinal)) { key = key[prefix.Length..]; break; }
        switch (key)
        {
            case "shared.weight" or "encoder.embed_tokens.weight": return "token_embedding.weight";
            case "encoder.final_layer_norm.weight": return "norm.weight";
        }
        const string block = "encoder.block.";
        if (!key.StartsWith(block, StringComparison.Ordinal)) return null;
        var rest = key[block.Length..];
        int dot = rest.IndexOf('.');
        if (dot < 0) return null;
        string index = rest[..dot];
        string tail = rest[(dot + 1)..];
        string? mapped = tail switch
        {
            "layer.0.layer_norm.weight" => "norm1.weight",
            "layer.0.SelfAttention.relative_attention_bias.weight" => "pos_embedding.embedding.weight",
            "layer.1.layer_norm.weight" => "norm2.weight",
            _ when tail.StartsWith("layer.0.SelfAttention.", StringComparison.Ordinal) =>
                "attn." + tail["layer.0.SelfAttention.".Length..],
            _ when tail.StartsWith("layer.1.DenseReluDense.wi_0.", StringComparison.Ordinal) =>
                "ffn.gate.0." + tail["layer.1.DenseReluDense.wi_0.".Length..],
            _ when tail.StartsWith("layer.1.DenseReluDense.wi_1.", StringComparison.Ordinal) =>
                "ffn.fc1." + tail["layer.1.DenseReluDense.wi_1.".Length..],
            _ when tail.StartsWith("layer.1.DenseReluDense.wo.", StringComparison.Ordinal) =>
                "ffn.fc2." + tail["layer.1.DenseReluDense.wo.".Length..],
            _ => null,
        };
        return mapped is null ? null : $"blocks.{index}.{mapped}";
    }

    public override string ToString() => Name;
}
