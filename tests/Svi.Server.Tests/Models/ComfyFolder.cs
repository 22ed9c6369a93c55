using Svi.Inference.Text;

namespace Svi.Server.Tests.Models;

/// <summary>
/// A ComfyUI models folder as the public SVI 2.0 Pro workflow fills it for image-to-video (fp8, distilled): Kijai's
/// experts and LoRAs where the manifest names them, Comfy-Org's UMT5 encoder and VAE, and no tokenizer folder.
/// Weight files are sparse at their listed sizes; the text encoder's header is real, with the bytes of a real
/// SentencePiece model in its <c>spiece_model</c> tensor when <c>embeddedTokenizer</c> is set.
/// </summary>
public static class ComfyFolder
{
    public static void Install(ModelManifest manifest, string dir, bool embeddedTokenizer)
    {
        var roles = manifest.RolesFor(new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false))!;
        foreach (var f in manifest.FilesOf("fp8").Where(f => roles.Contains(f.Role) && f.Role is not (ModelRole.Tokenizer or ModelRole.TextEncoder)))
            Sparse(Path.Combine(dir, f.Copies().Last().Path), f.Copies().Last().Size ?? 1);
        var encoder = TextEncoderOf(manifest);
        WriteTextEncoder(Path.Combine(dir, encoder.Path), embeddedTokenizer ? GeneratedSentencePiece.ModelBytes() : null, encoder.Size!.Value);
    }

    public static ManifestFile TextEncoderOf(ModelManifest manifest) => manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.TextEncoder);
    public static ManifestFile SpieceOf(ModelManifest manifest) => manifest.FilesOf("fp8").Single(f => f.Role == ModelRole.Tokenizer && !f.Optional);

    /// <summary>A safetensors with one zero weight and, when given, <paramref name="spiece"/> as a U8 tensor (ComfyUI's <c>spiece_model</c> unless <paramref name="tensor"/> names another), sparse to <paramref name="size"/>.</summary>
    public static void WriteTextEncoder(string path, byte[]? spiece, long size, string tensor = EmbeddedSentencePiece.ComfyTensor)
    {
        var header = new Dictionary<string, object> { ["shared.weight"] = new { dtype = "BF16", shape = new[] { 4, 4 }, data_offsets = new[] { 0, 32 } } };
        if (spiece is not null)
            header[tensor] = new { dtype = "U8", shape = new[] { spiece.Length }, data_offsets = new[] { 32, 32 + spiece.Length } };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((long)json.Length));
        f.Write(json);
        f.Write(new byte[32]);
        if (spiece is not null) f.Write(spiece);
        f.SetLength(size);
    }

    public static void Sparse(string path, long size)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var s = File.Create(path);
        s.SetLength(size);
    }
}
