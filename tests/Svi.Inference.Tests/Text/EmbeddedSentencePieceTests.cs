using Svi.Inference.Text;
using Svi.Inference.Wan.Umt5;

namespace Svi.Inference.Tests.Text;

/// <summary>
/// The tokenizer Comfy-Org's UMT5 files carry as a U8 <c>spiece_model</c> tensor (what ComfyUI builds its Wan tokenizer
/// from) serves as <c>spiece.model</c> does: a tiny encoder written in the Hugging Face / Comfy naming with the bytes
/// of a real SentencePiece model embedded.
/// </summary>
[Collection(ReferenceSentencePieceCollection.Name)]
public sealed class EmbeddedSentencePieceTests(ReferenceSentencePiece reference) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("svi-embedded-spm-").FullName;
    static readonly Umt5Config Tiny = new(Vocab: 3000, Dim: 16, DimAttn: 16, DimFfn: 24, NumHeads: 2, NumLayers: 1, NumBuckets: 8);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string WriteComfyEncoder(bool embedTokenizer)
    {
        string path = Path.Combine(dir, embedTokenizer ? "umt5_tiny_with_spiece.safetensors" : "umt5_tiny.safetensors");
        using var scope = NewDisposeScope();
        using var encoder = new Umt5Encoder(Tiny, ScalarType.Float32);
        manual_seed(3);
        var tensors = encoder.state_dict().ToDictionary(kv => Umt5TransformersNames.ToHuggingFace(kv.Key), kv => randn_like(kv.Value) * 0.1);
        if (embedTokenizer)
            tensors[EmbeddedSentencePiece.ComfyTensor] = tensor(File.ReadAllBytes(reference.ModelPath(ReferenceSentencePiece.T5Like)), ScalarType.Byte);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    [Fact]
    public void The_spiece_model_tensor_tokenizes_prompts_to_the_same_ids_as_the_model_file()
    {
        var fromFile = Umt5Tokenizer.Load(reference.ModelPath(ReferenceSentencePiece.T5Like), 64);
        var fromTensor = Umt5Tokenizer.Load(WriteComfyEncoder(embedTokenizer: true), 64);
        var prompts = new[] { "A woman walks her dog through the park, autumn leaves fall.", "Ein Hund läuft über die Wiese", "猫が窓辺で眠る" }
            .Concat(TokenizerCorpus.RandomProbes(seed: 9, count: 50)).ToList();

        Assert.Equal(fromFile.Unigram.VocabSize, fromTensor.Unigram.VocabSize);
        Assert.All(prompts, p => Assert.Equal(fromFile.Tokenize(p).Ids, fromTensor.Tokenize(p).Ids));
    }

    [Fact]
    public void One_comfy_file_serves_as_both_tokenizer_and_encoder()
    {
        string comfy = WriteComfyEncoder(embedTokenizer: true);
        using var embedded = Umt5TextEncoder.Load(comfy, comfy, Tiny, ScalarType.Float32, textLength: 32);
        using var separate = Umt5TextEncoder.Load(reference.ModelPath(ReferenceSentencePiece.T5Like), comfy, Tiny, ScalarType.Float32, textLength: 32);
        using var scope = NewDisposeScope();
        const string prompt = "a red kite over the sea at dawn";

        Assert.Equal(separate.Tokenizer.Tokenize(prompt).Ids, embedded.Tokenizer.Tokenize(prompt).Ids);
        Assert.Equal(separate.Encode(prompt).data<float>().ToArray(), embedded.Encode(prompt).data<float>().ToArray());
    }

    [Fact]
    public void A_text_encoder_without_the_tensor_names_the_tokenizer_to_install()
    {
        string plain = WriteComfyEncoder(embedTokenizer: false);

        Assert.Null(EmbeddedSentencePiece.Find(plain));
        var e = Assert.Throws<SentencePieceModelException>(() => Umt5Tokenizer.Load(plain));
        Assert.Contains("no U8 tensor 'spiece_model'", e.Message);
        Assert.Contains("spiece.model", e.Message);
    }

    [Fact]
    public void Bytes_that_are_no_sentencepiece_model_are_reported_as_the_embedded_tensor()
    {
        string path = Path.Combine(dir, "broken.safetensors");
        using (var bytes = tensor(new byte[] { 0x0A, 0xFF, 0xFF }, ScalarType.Byte))
            SafetensorsWriter.Write(path, [new(EmbeddedSentencePiece.ComfyTensor, bytes)]);

        var e = Assert.Throws<SentencePieceModelException>(() => Umt5Tokenizer.Load(path));
        Assert.StartsWith($"spiece_model in {path}", e.Message);
    }
}
