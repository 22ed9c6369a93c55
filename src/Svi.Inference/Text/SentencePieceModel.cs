namespace Svi.Inference.Text;

/// <summary>
/// The parts of a SentencePiece <c>ModelProto</c> (<c>spiece.model</c>) that encoding depends on. Field numbers and
/// defaults are those of <c>sentencepiece_model.proto</c>; repeated sub-messages merge as protobuf says (last value wins).
/// </summary>
public sealed record SentencePieceModel(
    IReadOnlyList<SentencePiece> Pieces,
    int ModelType,
    int UnkId, int BosId, int EosId, int PadId,
    bool ByteFallback,
    bool TreatWhitespaceAsSuffix,
    string NormalizerName,
    byte[] PrecompiledCharsMap,
    bool AddDummyPrefix,
    bool RemoveExtraWhitespaces,
    bool EscapeWhitespaces)
{
    public const int UnigramModelType = 1;

    public static SentencePieceModel Load(string path)
    {
        // Random weights come with a generated tokenizer: the real one is a download like the weights.
        if (Weights.Random.RandomWeightsPath.IsRandom(path)) return Parse(GeneratedSentencePiece.ModelBytes());
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>A model from the bytes of a <c>.model</c> file wherever they are stored (<paramref name="source"/> names where, for errors).</summary>
    public static SentencePieceModel Parse(ReadOnlySpan<byte> bytes, string source)
    {
        try { return Parse(bytes); }
        catch (FormatException e) { throw new SentencePieceModelException(source, e.Message); }
    }

    public static SentencePieceModel Parse(ReadOnlySpan<byte> bytes)
    {
        var pieces = new List<SentencePiece>();
        var trainer = new TrainerFields();
        var normalizer = new NormalizerFields();
        ProtobufReader.ReadFields(bytes, (ref ProtobufReader reader, int field, int wire) =>
        {
            switch (field)
            {
                case 1 when wire == 2: pieces.Add(ParsePiece(reader.ReadBytes())); return true;
                case 2 when wire == 2: trainer.Merge(reader.ReadBytes()); return true;
                case 3 when wire == 2: normalizer.Merge(reader.ReadBytes()); return true;
                default: return false;
            }
        });
        if (pieces.Count == 0) throw new FormatException("the model has no pieces");
        return new SentencePieceModel(pieces, trainer.ModelType, trainer.UnkId, trainer.BosId, trainer.EosId, trainer.PadId,
            trainer.ByteFallback, trainer.TreatWhitespaceAsSuffix, normalizer.Name, normalizer.CharsMap,
            normalizer.AddDummyPrefix, normalizer.RemoveExtraWhitespaces, normalizer.EscapeWhitespaces);
    }

    static SentencePiece ParsePiece(ReadOnlySpan<byte> bytes)
    {
        string piece = "";
        float score = 0;
        var type = PieceType.Normal;
        ProtobufReader.ReadFields(bytes, (ref ProtobufReader reader, int field, int wire) =>
        {
            switch (field)
            {
                case 1 when wire == 2: piece = reader.ReadString(); return true;
                case 2 when wire == 5: score = reader.ReadFloat(); return true;
                case 3 when wire == 0: type = (PieceType)reader.ReadInt32(); return true;
                default: return false;
            }
        });
        return new SentencePiece(piece, score, type);
    }

    sealed class TrainerFields
    {
        public int ModelType = UnigramModelType, UnkId = 0, BosId = 1, EosId = 2, PadId = -1;
        public bool ByteFallback, TreatWhitespaceAsSuffix;

        public void Merge(ReadOnlySpan<byte> bytes)
        {
            ProtobufReader.ReadFields(bytes, (ref ProtobufReader reader, int field, int wire) =>
            {
                switch (field)
                {
                    case 3 when wire == 0: ModelType = reader.ReadInt32(); return true;
                    case 24 when wire == 0: TreatWhitespaceAsSuffix = reader.ReadBool(); return true;
                    case 35 when wire == 0: ByteFallback = reader.ReadBool(); return true;
                    case 40 when wire == 0: UnkId = reader.ReadInt32(); return true;
                    case 41 when wire == 0: BosId = reader.ReadInt32(); return true;
                    case 42 when wire == 0: EosId = reader.ReadInt32(); return true;
                    case 43 when wire == 0: PadId = reader.ReadInt32(); return true;
                    default: return false;
                }
            });
        }
    }

    sealed class NormalizerFields
    {
        public string Name = "";
        public byte[] CharsMap = [];
        public bool AddDummyPrefix = true, RemoveExtraWhitespaces = true, EscapeWhitespaces = true;

        public void Merge(ReadOnlySpan<byte> bytes)
        {
            ProtobufReader.ReadFields(bytes, (ref ProtobufReader reader, int field, int wire) =>
            {
                switch (field)
                {
                    case 1 when wire == 2: Name = reader.ReadString(); return true;
                    case 2 when wire == 2: CharsMap = reader.ReadBytes().ToArray(); return true;
                    case 3 when wire == 0: AddDummyPrefix = reader.ReadBool(); return true;
                    case 4 when wire == 0: RemoveExtraWhitespaces = reader.ReadBool(); return true;
                    case 5 when wire == 0: EscapeWhitespaces = reader.ReadBool(); return true;
                    default: return false;
                }
            });
        }
    }
}
