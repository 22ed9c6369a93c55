using Svi.Inference.Wan;
using Svi.Kernels.Safetensors;

namespace Svi.Testing;

/// <summary>
/// The key sets of the LoRA files SVI 2.0 Pro is published with, for any <see cref="WanConfig"/> (the A14B sizes for
/// header-only checks, tiny sizes for real loads). The forms are those the golden README and specs/svi2pro.md
/// ("The accelerated recipe", §6) record: the SVI 2.0 Pro PEFT keys, Kijai's kohya LightX2V distill files with the
/// <c>diffusion_model.</c> prefix, optional <c>.alpha</c>, <c>.diff_b</c> and <c>.diff</c>, the Wan 2.1 I2V image branch
/// Wan 2.2 lacks, and LightX2V's own hosted variant with <c>blocks.N.diff_m</c>. Rank is a parameter: the real files
/// are rank 64 (distill) and 128 (SVI), the key names are what matters here.
/// </summary>
public static class PublishedLoraForms
{
    const string Prefix = "diffusion_model.";
    /// <summary>The CLIP ViT-H feature size of Wan 2.1 I2V's image branch.</summary>
    const long ClipDim = 1280;

    static IEnumerable<(string Module, long Out, long In)> BlockLinears(WanConfig c)
    {
        foreach (var attn in new[] { "self_attn", "cross_attn" })
            foreach (var p in new[] { "q", "k", "v", "o" })
                yield return ($"{attn}.{p}", c.Dim, c.Dim);
        yield return ("ffn.0", c.FfnDim, c.Dim);
        yield return ("ffn.2", c.Dim, c.FfnDim);
    }

    static IEnumerable<(string Key, long[] Shape)> Kohya(string module, long outF, long inF, int rank, bool alpha, bool diffB)
    {
        yield return ($"{Prefix}{module}.lora_down.weight", [rank, inF]);
        yield return ($"{Prefix}{module}.lora_up.weight", [outF, rank]);
        if (alpha) yield return ($"{Prefix}{module}.alpha", []);
        if (diffB) yield return ($"{Prefix}{module}.diff_b", [outF]);
    }

    /// <summary>
    /// <c>SVI_Wan2.2-I2V-A14B_{high,low}_noise_lora_v2.0_pro</c>: unprefixed PEFT, <c>blocks.N.X.lora_A.default.weight</c> /
    /// <c>lora_B.default.weight</c> on the 10 linears of every block, no alpha.
    /// </summary>
    public static IEnumerable<(string Key, long[] Shape)> SviPro(WanConfig c, int rank)
    {
        for (int i = 0; i < c.NumLayers; i++)
            foreach (var (m, o, n) in BlockLinears(c))
            {
                yield return ($"blocks.{i}.{m}.lora_A.default.weight", [rank, n]);
                yield return ($"blocks.{i}.{m}.lora_B.default.weight", [o, rank]);
            }
    }

    /// <summary>
    /// <c>Wan_2_2_I2V_A14B_HIGH_lightx2v_4step_lora_v1030_rank_64_bf16</c> (and the Wan 2.2 Lightning form): kohya
    /// <c>diffusion_model.blocks.N.X.lora_down/lora_up.weight</c> with an <c>.alpha</c> each, block linears only.
    /// </summary>
    public static IEnumerable<(string Key, long[] Shape)> Wan22Lightx2vHigh(WanConfig c, int rank)
    {
        for (int i = 0; i < c.NumLayers; i++)
            foreach (var (m, o, n) in BlockLinears(c))
                foreach (var e in Kohya($"blocks.{i}.{m}", o, n, rank, alpha: true, diffB: false))
                    yield return e;
    }

    /// <summary>
    /// <c>lightx2v_I2V_14B_{480p,720p}_cfg_step_distill_rank64_bf16</c> (Wan 2.1 I2V-14B): kohya pairs without alpha
    /// and a <c>.diff_b</c> bias delta on every linear, <c>.diff</c> on the RMS/Layer norms, and the image branch
    /// (<c>cross_attn.k_img</c>, <c>v_img</c>, <c>norm_k_img</c>, <c>img_emb.proj.*</c>) Wan 2.2 I2V-A14B does not have.
    /// <paramref name="lightx2vHosted"/>: LightX2V's own upload, which adds <c>blocks.N.diff_m</c> (modulation deltas).
    /// </summary>
    public static IEnumerable<(string Key, long[] Shape)> Wan21I2vLightx2v(WanConfig c, int rank, bool lightx2vHosted = false)
    {
        var list = new List<(string, long[])>();
        foreach (var (m, o, n) in new[]
                 {
                     ("text_embedding.0", (long)c.Dim, (long)c.TextDim), ("text_embedding.2", c.Dim, c.Dim),
                     ("time_embedding.0", c.Dim, c.FreqDim), ("time_embedding.2", c.Dim, c.Dim),
                     ("time_projection.1", 6L * c.Dim, c.Dim),
                     ("img_emb.proj.1", ClipDim, ClipDim), ("img_emb.proj.3", c.Dim, ClipDim),
                 })
            list.AddRange(Kohya(m, o, n, rank, alpha: false, diffB: true));
        list.Add(($"{Prefix}img_emb.proj.0.diff", [ClipDim]));
        list.Add(($"{Prefix}img_emb.proj.0.diff_b", [ClipDim]));
        list.Add(($"{Prefix}img_emb.proj.4.diff", [c.Dim]));
        list.Add(($"{Prefix}img_emb.proj.4.diff_b", [c.Dim]));
        for (int i = 0; i < c.NumLayers; i++)
        {
            string b = $"blocks.{i}";
            foreach (var (m, o, n) in BlockLinears(c).Concat([("cross_attn.k_img", c.Dim, c.Dim), ("cross_attn.v_img", c.Dim, c.Dim)]))
                list.AddRange(Kohya($"{b}.{m}", o, n, rank, alpha: false, diffB: true));
            foreach (var norm in new[] { "self_attn.norm_q", "self_attn.norm_k", "cross_attn.norm_q", "cross_attn.norm_k", "cross_attn.norm_k_img", "norm3" })
                list.Add(($"{Prefix}{b}.{norm}.diff", [c.Dim]));
            if (lightx2vHosted) list.Add(($"{Prefix}{b}.diff_m", [1, 6, c.Dim]));
        }
        list.AddRange(Kohya("head.head", (long)c.OutDim * c.PatchVolume, c.Dim, rank, alpha: false, diffB: true));
        return list;
    }

    /// <summary>Writes a key set with random values N(0, scale²) (alphas: <paramref name="alpha"/>), float32.</summary>
    public static void Write(string path, IEnumerable<(string Key, long[] Shape)> keys, long seed, double scale = 0.05, float alpha = 2f)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var tensors = keys.Select(k => new KeyValuePair<string, Tensor>(k.Key, k.Key.EndsWith(".alpha", StringComparison.Ordinal)
            ? tensor(alpha) : randn(k.Shape, ScalarType.Float32, generator: generator) * scale)).ToList();
        SafetensorsWriter.Write(path, tensors);
    }
}
