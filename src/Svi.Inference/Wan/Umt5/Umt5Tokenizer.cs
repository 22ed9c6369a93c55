using Svi.Inference.Text;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// The <c>google/umt5-xxl</c> tokenizer as Wan calls it: Wan's prompt cleaning, SentencePiece unigram ids, at most
/// <c>textLength − 1</c> of them, then EOS, padded with the pad id to <c>textLength</c> (512 in Wan 2.2).
/// </summary>
public sealed class Umt5Tokenizer
{
    public const int WanTextLength = 512;

    public Umt5Tokenizer(SentencePieceModel model, int textLength = WanTextLength)
    {
        if (textLength < 2) throw new ArgumentOutOfRangeException(nameof(textLength), textLength, "needs room for a token and EOS");
        if (model.EosId < 0 || model.PadId < 0)
            throw new NotSupportedException("the tokenizer model needs an EOS and a pad piece (T5 uses pad 0, eos 1)");
        Unigram = new SentencePieceUnigram(model);
        TextLength = textLength;
    }

    /// <summary>
    /// Reads <c>spiece.model</c> (the SentencePiece model shipped with google/umt5-xxl), or, where the models directory
    /// serves the tokenizer from a Comfy-Org text-encoder file, the copy that file embeds (<see cref="EmbeddedSentencePiece"/>)
    /// as <paramref name="tensor"/>, the name the model manifest gives (ComfyUI's <c>spiece_model</c> when none is given).
    /// </summary>
    public static Umt5Tokenizer Load(string spieceModelPath, int textLength = WanTextLength, string? tensor = null)
        => new(tensor is not null || spieceModelPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? EmbeddedSentencePiece.Load(spieceModelPath, tensor ?? EmbeddedSentencePiece.ComfyTensor)
            : SentencePieceModel.Load(spieceModelPath), textLength);

    public SentencePieceUnigram Unigram { get; }
    public int TextLength { get; }
    public int EosId => Unigram.Model.EosId;
    public int PadId => Unigram.Model.PadId;

    public TokenizedPrompt Tokenize(string prompt)
    {
        var pieces = Unigram.Encode(WanPromptCleaner.Clean(prompt));
        int kept = Math.Min(pieces.Count, TextLength - 1);
        var ids = new long[TextLength];
        var mask = new long[TextLength];
        for (int i = 0; i < kept; i++) ids[i] = pieces[i];
        ids[kept] = EosId;
        for (int i = kept + 1; i < TextLength; i++) ids[i] = PadId;
        Array.Fill(mask, 1L, 0, kept + 1);
        return new TokenizedPrompt(ids, mask, kept + 1);
    }
}
