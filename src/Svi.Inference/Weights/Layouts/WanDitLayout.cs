using Svi.Inference.Wan;

namespace Svi.Inference.Weights.Layouts;

/// <summary>
/// The key/shape table of the Wan DiT in the official checkpoint naming (Wan-Video/Wan2.2 wan/modules/model.py,
/// ComfyUI comfy/ldm/wan/model.py), which is also <see cref="WanTransformer"/>'s parameter naming (a test builds the
/// model for a small config and compares), computed for any <see cref="WanConfig"/> without allocating 14B weights.
/// </summary>
public static class WanDitLayout
{
    /// <summary>The linear layers of one block that LoRAs patch, with (out, in) features.</summary>
    public static IEnumerable<(string Module, long Out, long In)> BlockLinears(WanConfig s)
    {
        foreach (var attn in new[] { "self_attn", "cross_attn" })
            foreach (var p in new[] { "q", "k", "v", "o" })
                yield return ($"{attn}.{p}", s.Dim, s.Dim);
        yield return ("ffn.0", s.FfnDim, s.Dim);
        yield return ("ffn.2", s.Dim, s.FfnDim);
    }

    /// <summary>Every linear layer of the model with (out, in) features.</summary>
    public static IEnumerable<(string Module, long Out, long In)> Linears(WanConfig s)
    {
        yield return ("text_embedding.0", s.Dim, s.TextDim);
        yield return ("text_embedding.2", s.Dim, s.Dim);
        yield return ("time_embedding.0", s.Dim, s.FreqDim);
        yield return ("time_embedding.2", s.Dim, s.Dim);
        yield return ("time_projection.1", 6L * s.Dim, s.Dim);
        for (int i = 0; i < s.NumLayers; i++)
            foreach (var (m, o, n) in BlockLinears(s))
                yield return ($"blocks.{i}.{m}", o, n);
        yield return ("head.head", (long)s.OutDim * s.PatchSize.Aggregate(1, (a, b) => a * b), s.Dim);
    }

    public static Dictionary<string, long[]> Tensors(WanConfig s)
    {
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["patch_embedding.weight"] = [s.Dim, s.InDim, .. s.PatchSize.Select(p => (long)p)],
            ["patch_embedding.bias"] = [s.Dim],
            ["head.modulation"] = [1, 2, s.Dim],
        };
        foreach (var (m, o, n) in Linears(s))
        {
            t[$"{m}.weight"] = [o, n];
            t[$"{m}.bias"] = [o];
        }
        for (int i = 0; i < s.NumLayers; i++)
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

    /// <summary>Every key must land on a tensor; FP8 scales and markers are recognised by the loader's own rule.</summary>
    public static TensorLayout Layout(string name, WanConfig s) => new(name, Tensors(s), KeyLayout.Known, RejectUnknownKeys: true);
}
