namespace Svi.Inference.Weights;

/// <summary>
/// Maps the names LoRA files give their targets to our module paths (the official Wan names), once, here:
/// wrapper prefixes (<c>diffusion_model.</c>, <c>transformer.</c>, PEFT's <c>base_model.model.</c>), kohya's
/// flattened names (<c>lora_unet_blocks_0_self_attn_q</c>, resolved against the model's real paths because
/// module names contain underscores) and the diffusers Wan names (<c>blocks.0.attn1.to_q</c>).
/// </summary>
public sealed class LoraTargetNames
{
    static readonly string[] Prefixes =
        ["base_model.model.", "model.diffusion_model.", "diffusion_model.", "transformer.", "model.", "lora_unet_", "lora_transformer_"];

    static readonly (string Diffusers, string Official)[] DiffusersParts =
    [
        (".attn1.to_q", ".self_attn.q"), (".attn1.to_k", ".self_attn.k"), (".attn1.to_v", ".self_attn.v"), (".attn1.to_out.0", ".self_attn.o"),
        (".attn2.to_q", ".cross_attn.q"), (".attn2.to_k", ".cross_attn.k"), (".attn2.to_v", ".cross_attn.v"), (".attn2.to_out.0", ".cross_attn.o"),
        (".attn2.add_k_proj", ".cross_attn.k_img"), (".attn2.add_v_proj", ".cross_attn.v_img"),
        (".ffn.net.0.proj", ".ffn.0"), (".ffn.net.2", ".ffn.2"),
    ];

    static readonly Dictionary<string, string> DiffusersTopLevel = new(StringComparer.Ordinal)
    {
        ["condition_embedder.text_embedder.linear_1"] = "text_embedding.0",
        ["condition_embedder.text_embedder.linear_2"] = "text_embedding.2",
        ["condition_embedder.time_embedder.linear_1"] = "time_embedding.0",
        ["condition_embedder.time_embedder.linear_2"] = "time_embedding.2",
        ["condition_embedder.time_proj"] = "time_projection.1",
        ["proj_out"] = "head.head",
    };

    readonly IReadOnlySet<string> modulePaths;
    readonly Dictionary<string, string> byFlatName;

    public LoraTargetNames(IEnumerable<string> modulePaths)
    {
        this.modulePaths = modulePaths.ToHashSet(StringComparer.Ordinal);
        byFlatName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in this.modulePaths) byFlatName.TryAdd(path.Replace('.', '_'), path);
    }

    /// <summary>Our module path for a LoRA target name, or null when it names no module we have.</summary>
    public string? Resolve(string target)
    {
        foreach (var candidate in Candidates(target))
            if (modulePaths.Contains(candidate)) return candidate;
        return null;
    }

    IEnumerable<string> Candidates(string target)
    {
        var names = new List<string> { target };
        foreach (var prefix in Prefixes)
            if (target.StartsWith(prefix, StringComparison.Ordinal)) names.Add(target[prefix.Length..]);
        foreach (var name in names)
        {
            yield return name;
            if (byFlatName.TryGetValue(name, out var unflattened)) yield return unflattened;
            if (DiffusersTopLevel.TryGetValue(name, out var top)) yield return top;
            string official = name;
            foreach (var (diffusers, ours) in DiffusersParts) official = official.Replace(diffusers, ours, StringComparison.Ordinal);
            if (official != name) yield return official;
        }
    }
}
