using Svi.Inference.Wan.Umt5;

namespace Svi.Inference.Tests.Text;

/// <summary>Tokenizer + encoder as the DiT sees them, on a tiny random encoder (a fixture, not the real model).</summary>
[Collection(ReferenceSentencePieceCollection.Name)]
public class Umt5TextEncoderTests(ReferenceSentencePiece reference)
{
    const int TextLength = 48;

    Umt5TextEncoder Create(ScalarType? outputDtype = null)
    {
        var tokenizer = Umt5Tokenizer.Load(reference.ModelPath(ReferenceSentencePiece.T5Like), TextLength);
        var config = new Umt5Config(Vocab: tokenizer.Unigram.VocabSize, Dim: 24, DimAttn: 24, DimFfn: 40, NumHeads: 3,
            NumLayers: 2, NumBuckets: 32);
        var encoder = new Umt5Encoder(config);
        manual_seed(11);
        using (no_grad())
            foreach (var (_, p) in encoder.named_parameters()) p.copy_(randn_like(p) * 0.2);
        return new Umt5TextEncoder(tokenizer, encoder, outputDtype: outputDtype);
    }

    [Fact]
    public void Context_has_text_length_rows_and_zero_rows_past_the_prompt()
    {
        using var textEncoder = Create();
        using var scope = NewDisposeScope();
        const string prompt = "A woman walks her dog through the park, autumn leaves fall.";
        var tokens = textEncoder.Tokenizer.Tokenize(prompt);
        var context = textEncoder.Encode(prompt);

        Assert.Equal(new long[] { TextLength, 24 }, context.shape);
        var direct = textEncoder.Encoder.forward(tensor(tokens.Ids).unsqueeze(0), tensor(tokens.Mask).unsqueeze(0))[0];
        // The real rows equal Wan's full padded run (ours runs the real tokens only); tolerance: rel 1e-6 in float32.
        double rel = ((context[..tokens.Length] - direct[..tokens.Length]).norm() / direct[..tokens.Length].norm()).item<float>();
        Assert.True(rel < 1e-6, $"rel {rel}");
        Assert.Equal(0, context[tokens.Length..].abs().sum().item<float>());
        Assert.True(context[tokens.Length - 1].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Encode_leaves_only_its_result_in_the_callers_scope()
    {
        using var textEncoder = Create();
        using var scope = NewDisposeScope();
        textEncoder.Encode("city at night, neon lights");
        Assert.Equal(1, scope.DisposablesCount);
    }

    [Fact]
    public void Context_comes_in_the_requested_dtype()
    {
        using var textEncoder = Create(ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.BFloat16, textEncoder.Encode("snow").dtype);
    }
}
