namespace Svi.Server.Models.Layouts;

/// <summary>Wan 2.x DiT hyper-parameters that decide its tensor names and shapes.</summary>
public sealed record WanDitShape(int InDim, int Dim, int FfnDim, int TextDim, int FreqDim, int OutDim, int Layers, int[] Patch)
{
    /// <summary>Wan2.2-I2V-A14B expert: noise + mask + image latents in (16 + 4 + 16 = 36 channels), no CLIP branch.</summary>
    public static readonly WanDitShape I2vA14B = new(36, 5120, 13824, 4096, 256, 16, 40, [1, 2, 2]);
    /// <summary>Wan2.2-T2V-A14B expert: the same transformer with 16 input channels.</summary>
    public static readonly WanDitShape T2vA14B = I2vA14B with { InDim = 16 };
}

/// <summary>
/// The key/shape table of the Wan DiT in the official checkpoint naming (Wan-Video/Wan2.2 wan/modules/model.py,
/// ComfyUI comfy/ldm/wan/model.py), which is also our module naming. Used to check files before loading.
/// </summary>
public static class WanDitLayout
{
    /// <summary>The linear layers of one block that LoRAs patch, with (out, in) features.</summary>
    public static IEnumerable<(string Module, long Out, long In)> BlockLinears(WanDitShape s)
    {
        foreach (var attn in new[] { "self_attn", "cross_attn" })
            foreach (var p in new[] { "q", "k", "v", "o" })
                yield return ($"{attn}.{p}", s.Dim, s.Dim);
        yield return ("ffn.0", s.FfnDim, s.Dim);
        yield return ("ffn.2", s.Dim, s.FfnDim);
    }

    /// <summary>Every linear layer of the model with (out, in) features.</summary>
    public static IEnumerable<(string Module, long Out, long In)> Linears(WanDitShape s)
    {
        yield return ("text_embedding.0", s.Dim, s.TextDim);
        yield return ("text_embedding.2", s.Dim, s.Dim);
        yield return ("time_embedding.0", s.Dim, s.FreqDim);
        yield return ("time_embedding.2", s.Dim, s.Dim);
        yield return ("time_projection.1", 6L * s.Dim, s.Dim);
        for (int i = 0; i < s.Layers; i++)
            foreach (var (m, o, n) in BlockLinears(s))
                yield return ($"blocks.{i}.{m}", o, n);
        yield return ("head.head", (long)s.OutDim * s.Patch.Aggregate(1, (a, b) => a * b), s.Dim);
    }

    public static Dictionary<string, long[]> Tensors(WanDitShape s)
    {
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["patch_embedding.weight"] = [s.Dim, s.InDim, .. s.Patch.Select(p => (long)p)],
            ["patch_embedding.bias"] = [s.Dim],
            ["head.modulation"] = [1, 2, s.Dim],
        };
        foreach (var (m, o, n) in Linears(s))
        {
            t[$"{m}.weight"] = [o, n];
            t[$"{m}.bias"] = [o];
        }
        for (int i = 0; i < s.Layers; i++)
        {
            t[$"blocks.{i}.modulation"] = [1, 6, s.Dim];
            foreach (var attn in new[] { "self_attn", "cross_attn" })
            {
                t[$"blocks.{i}.{attn}.norm_q.weight"] = [s.Dim];
                t[$"blocks.{i}.{attn}.norm_k.weight"] = [s.Dim];
            }
            t[$"blocks.{i}.norm3.weight"] = [s.Dim];
            t[$"blocks.{i}.norm3.bias"] = [s.Dim];
        }
        return t;
    }

    /// <summary>ComfyUI's scaled-FP8 files add a marker tensor and per-layer scales next to FP8 weights.</summary>
    public static bool IsScaledFp8Extra(string key) =>
        key == "scaled_fp8" || key.EndsWith(".scale_weight", StringComparison.Ordinal) ||
        key.EndsWith(".scale_input", StringComparison.Ordinal) || key.EndsWith(".weight_scale", StringComparison.Ordinal) ||
        key.EndsWith(".input_scale", StringComparison.Ordinal);

    public static TensorLayout Layout(string name, WanDitShape s) => new(name, Tensors(s), true, IsScaledFp8Extra);
}
