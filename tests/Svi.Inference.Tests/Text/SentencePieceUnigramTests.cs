using Svi.Inference.Text;

namespace Svi.Inference.Tests.Text;

[CollectionDefinition(Name)]
public sealed class ReferenceSentencePieceCollection : ICollectionFixture<ReferenceSentencePiece>
{
    public const string Name = "reference SentencePiece";
}

/// <summary>Our unigram encoder against the real SentencePiece: ids must be identical, string by string.</summary>
[Collection(ReferenceSentencePieceCollection.Name)]
public class SentencePieceUnigramTests(ReferenceSentencePiece reference)
{
    [Theory]
    [InlineData(ReferenceSentencePiece.T5Like)]
    [InlineData(ReferenceSentencePiece.T5ByteFallback)]
    [InlineData(ReferenceSentencePiece.Unusual)]
    public void Ids_equal_sentencepiece_on_edge_cases(string model) => AssertSameIds(model, TokenizerCorpus.Probes);

    [Theory]
    [InlineData(ReferenceSentencePiece.T5Like)]
    [InlineData(ReferenceSentencePiece.T5ByteFallback)]
    [InlineData(ReferenceSentencePiece.Unusual)]
    public void Ids_equal_sentencepiece_on_random_multilingual_strings(string model)
        => AssertSameIds(model, TokenizerCorpus.RandomProbes(seed: 99, count: 1500));

    // Long mixed lines are where float rounding decides between equal-looking segmentations.
    [Theory]
    [InlineData(ReferenceSentencePiece.T5Like)]
    [InlineData(ReferenceSentencePiece.T5ByteFallback)]
    public void Ids_equal_sentencepiece_on_held_out_corpus_lines(string model)
        => AssertSameIds(model, TokenizerCorpus.Generate(seed: 4321, lines: 1500).Split('\n'));

    [Fact]
    public void Model_file_fields_are_read()
    {
        var model = SentencePieceModel.Load(reference.ModelPath(ReferenceSentencePiece.T5ByteFallback));
        Assert.Equal((0, 1, 2, -1), (model.PadId, model.EosId, model.UnkId, model.BosId));
        Assert.True(model.ByteFallback);
        Assert.True(model.AddDummyPrefix);
        Assert.True(model.RemoveExtraWhitespaces);
        Assert.NotEmpty(model.PrecompiledCharsMap);
        Assert.Equal(PieceType.Unknown, model.Pieces[2].Type);
        Assert.Equal("<0x41>", model.Pieces.Single(p => p.Piece == "<0x41>" && p.Type == PieceType.Byte).Piece);
    }

    [Fact]
    public void Runs_of_unknown_characters_become_one_unknown_id()
    {
        var unigram = new SentencePieceUnigram(SentencePieceModel.Load(reference.ModelPath(ReferenceSentencePiece.T5Like)));
        var ids = unigram.Encode("𓀀𓀁𓀂");
        Assert.Equal(1, ids.Count(id => id == unigram.UnkId));
    }

    void AssertSameIds(string modelName, IReadOnlyList<string> texts)
    {
        var unigram = new SentencePieceUnigram(SentencePieceModel.Load(reference.ModelPath(modelName)));
        var expected = reference.Encode(modelName, texts);
        var mismatches = new List<string>();
        for (int i = 0; i < texts.Count; i++)
        {
            var ours = unigram.Encode(texts[i]);
            if (!ours.SequenceEqual(expected[i]))
                mismatches.Add($"{System.Text.Json.JsonSerializer.Serialize(texts[i])}: spm [{string.Join(',', expected[i])}] ours [{string.Join(',', ours)}]");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count}/{texts.Count} strings differ ({modelName}):\n{string.Join('\n', mismatches.Take(15))}");
    }
}
