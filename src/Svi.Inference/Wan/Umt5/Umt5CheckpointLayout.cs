using Svi.Inference.Weights;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// Which key layouts a UMT5 encoder checkpoint may use, and how it is loaded. The names are mapped in one place,
/// <see cref="KeyLayout.Umt5Transformers"/> (Hugging Face T5 names → the official Wan names of
/// <see cref="Umt5Encoder"/>); this class only picks between that and the official layout and loads through the
/// shared <see cref="CheckpointLoader"/>, so FP8 handling, sharding and memory mapping are the same as for the DiT.
/// Files read:
/// <list type="bullet">
/// <item>official Wan keys (<c>token_embedding.weight</c>, <c>blocks.N.attn.q.weight</c>, …), any float dtype;</item>
/// <item>Hugging Face / Comfy-Org (<c>shared.weight</c>, <c>encoder.block.N.layer.0.SelfAttention.q.weight</c>,
/// <c>…layer.1.DenseReluDense.wi_0/wi_1/wo</c>, <c>encoder.final_layer_norm.weight</c>, optionally under
/// <c>text_encoders.umt5xxl.transformer.</c>), including <c>umt5_xxl_fp8_e4m3fn_scaled.safetensors</c> (F8_E4M3
/// weights with <c>scale_weight</c>); decoder and LM-head tensors of full T5 files are skipped.</item>
/// </list>
/// </summary>
public static class Umt5CheckpointLayout
{
    public static IReadOnlyList<KeyLayout> Layouts { get; } = [KeyLayout.Official, KeyLayout.Umt5Transformers];

    /// <summary>The official Wan key for a Hugging Face T5 encoder key, or null when it has none.</summary>
    public static string? ToOfficialKey(string huggingFaceKey) => KeyLayout.Umt5Transformers.ToModuleKey(huggingFaceKey);

    /// <summary>Fills every parameter of <paramref name="encoder"/> from the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="WeightsMissingException">the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">keys are missing, unexpected or mis-shaped (named with the file).</exception>
    public static WeightLoadReport LoadInto(Umt5Encoder encoder, string path, WeightLoadOptions? options = null)
    {
        using var checkpoint = CheckpointLoader.Open(path, encoder);
        var moduleKeys = encoder.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        var layout = KeyLayout.Detect(checkpoint.Keys, moduleKeys, Layouts);
        // Keys the T5 layout does not know (decoder, LM head) are not ours to load; the official layout maps every
        // key, so anything unknown there is still reported.
        return CheckpointLoader.Load(encoder, checkpoint,
            (options ?? WeightLoadOptions.Default) with { Layout = layout, IgnoreForeignKeys = layout != KeyLayout.Official });
    }
}
