using Svi.Kernels.Safetensors;

namespace Svi.Inference.Text;

/// <summary>
/// A SentencePiece model stored inside a safetensors file as a U8 tensor holding the <c>.model</c> file's bytes, as
/// Comfy-Org's UMT5 encoders (<c>umt5_xxl_fp8_e4m3fn_scaled.safetensors</c>, <c>umt5_xxl_fp16.safetensors</c>) carry
/// it. ComfyUI builds its Wan tokenizer from that tensor and downloads none: comfy/sd.py
/// <c>load_text_encoder_state_dicts</c> passes <c>clip_data[0].get("spiece_model")</c> to
/// comfy/text_encoders/wan.py's <c>UMT5XXlTokenizer</c> (comfyanonymous/ComfyUI at e53f8fd1).
/// </summary>
public static class EmbeddedSentencePiece
{
    /// <summary>The tensor name ComfyUI reads the Wan tokenizer from.</summary>
    public const string ComfyTensor = "spiece_model";

    /// <summary>The tensor's entry when <paramref name="path"/> is a readable safetensors file holding it as U8 bytes; else null.</summary>
    public static SafetensorsEntry? Find(string path, string tensor = ComfyTensor)
    {
        try
        {
            using var file = SafetensorsFile.Open(path);
            return file.Entries.TryGetValue(tensor, out var entry) && entry.DType == "U8" ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsFormatException) { return null; }
    }

    /// <summary>The embedded <c>.model</c> file's bytes.</summary>
    /// <exception cref="SentencePieceModelException">the file holds no such U8 tensor</exception>
    public static byte[] Bytes(string path, string tensor = ComfyTensor)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Entries.TryGetValue(tensor, out var entry) || entry.DType != "U8")
            throw new SentencePieceModelException(path, $"no U8 tensor '{tensor}' holding a SentencePiece model " +
                "(only Comfy-Org's UMT5 files embed one; install tokenizer/umt5-xxl/spiece.model from google/umt5-xxl)");
        return file.ReadBytes(entry);
    }

    public static SentencePieceModel Load(string path, string tensor = ComfyTensor) =>
        SentencePieceModel.Parse(Bytes(path, tensor), $"{tensor} in {path}");
}
