namespace Svi.Inference.Text;

/// <summary>
/// A small SentencePiece unigram <c>spiece.model</c> made in code (the protobuf <c>ModelProto</c> real tokenizers ship):
/// T5's special ids (pad 0, eos 1, unk 2), the letters and a few words, identity normalisation. It is the tokenizer
/// of random weights (<c>Svi:Inference:Weights=random</c>) and of the tests: it exercises the real tokenizer code
/// without the 4 MB download. Its 37 ids fit any UMT5 vocabulary of at least that size.
/// </summary>
public static class GeneratedSentencePiece
{
    const int Normal = 1, Unknown = 2, Control = 3;

    /// <summary>Writes the model to <paramref name="path"/> and returns its piece count.</summary>
    public static int Write(string path)
    {
        var bytes = Build(out int count);
        File.WriteAllBytes(path, bytes);
        return count;
    }

    public static byte[] ModelBytes() => Build(out _);

    static byte[] Build(out int count)
    {
        var pieces = new List<(string Piece, float Score, int Type)> { ("<pad>", 0, Control), ("</s>", 0, Control), ("<unk>", 0, Unknown) };
        pieces.Add(("▁", -2f, Normal));
        foreach (var word in new[] { "▁a", "▁the", "▁boat", "▁cat", "▁walks", "▁turns", "▁sea" }) pieces.Add((word, -3f, Normal));
        for (char c = 'a'; c <= 'z'; c++) pieces.Add((c.ToString(), -5f, Normal));
        var model = new List<byte>();
        foreach (var (piece, score, type) in pieces)
        {
            var message = new List<byte>();
            Bytes(message, 1, System.Text.Encoding.UTF8.GetBytes(piece));
            Fixed32(message, 2, score);
            Varint(message, 3, type);
            Bytes(model, 1, message.ToArray());
        }
        var trainer = new List<byte>();
        Varint(trainer, 3, 1); // unigram
        Varint(trainer, 40, 2);
        Varint(trainer, 41, -1);
        Varint(trainer, 42, 1);
        Varint(trainer, 43, 0);
        Bytes(model, 2, trainer.ToArray());
        var normalizer = new List<byte>();
        Bytes(normalizer, 1, "identity"u8.ToArray());
        Varint(normalizer, 3, 1);
        Varint(normalizer, 4, 1);
        Bytes(model, 3, normalizer.ToArray());
        count = pieces.Count;
        return model.ToArray();
    }

    static void Tag(List<byte> o, int field, int wire) => RawVarint(o, (ulong)((field << 3) | wire));
    static void Varint(List<byte> o, int field, long value) { Tag(o, field, 0); RawVarint(o, unchecked((ulong)value)); }
    static void Fixed32(List<byte> o, int field, float value) { Tag(o, field, 5); o.AddRange(BitConverter.GetBytes(value)); }
    static void Bytes(List<byte> o, int field, byte[] value) { Tag(o, field, 2); RawVarint(o, (ulong)value.Length); o.AddRange(value); }

    static void RawVarint(List<byte> o, ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            o.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
    }
}
