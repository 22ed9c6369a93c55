using System.Text;

namespace Svi.Inference.Text;

/// <summary>
/// SentencePiece unigram encoding, as <c>SentencePieceProcessor::Encode</c> computes it: normalise, find the
/// best-scoring segmentation of the normalised bytes into pieces (Viterbi; a character no piece covers costs the
/// lowest piece score − 10 and becomes the unknown piece), then either split each unknown run into
/// <c>&lt;0xNN&gt;</c> byte pieces (byte fallback) or merge consecutive unknowns into one <c>&lt;unk&gt;</c>.
/// Path scores are stored as float32, candidates compared in double, and ties keep the first candidate found
/// (earlier start first), exactly as the C++ does, so the ids are identical.
/// </summary>
public sealed class SentencePieceUnigram
{
    const float UnknownPenalty = 10.0f;

    readonly SentencePieceModel model;
    readonly SentencePieceNormalizer normalizer;
    readonly PieceTrie trie = new();
    readonly int[] byteIds = new int[256];
    readonly float minScore = float.MaxValue, maxScore = float.MinValue;

    public SentencePieceUnigram(SentencePieceModel model)
    {
        if (model.ModelType != SentencePieceModel.UnigramModelType)
            throw new NotSupportedException($"SentencePiece model type {model.ModelType} is not unigram (1)");
        this.model = model;
        normalizer = new SentencePieceNormalizer(model);
        UnkId = -1;
        var reserved = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            bool inLattice = piece.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused;
            if (inLattice && !trie.Add(Encoding.UTF8.GetBytes(piece.Piece), id))
                throw new FormatException($"piece '{piece.Piece}' appears twice");
            if (!inLattice) reserved.TryAdd(piece.Piece, id);
            if (piece.Type == PieceType.Unknown) UnkId = id;
            if (piece.Type == PieceType.Normal)
            {
                minScore = Math.Min(minScore, piece.Score);
                maxScore = Math.Max(maxScore, piece.Score);
            }
        }
        if (UnkId < 0) throw new FormatException("the model has no unknown piece");
        for (int b = 0; b < 256; b++)
            byteIds[b] = reserved.TryGetValue($"<0x{b:X2}>", out int id) ? id : trie.Find(Encoding.UTF8.GetBytes($"<0x{b:X2}>")) ?? UnkId;
    }

    public SentencePieceModel Model => model;
    public int UnkId { get; }
    public int VocabSize => model.Pieces.Count;

    /// <summary>The piece ids of <paramref name="text"/>, without BOS/EOS (what <c>sp.encode(text)</c> returns).</summary>
    public List<int> Encode(string text)
    {
        var normalized = normalizer.Normalize(text);
        var ids = new List<int>(normalized.Length / 2 + 1);
        bool previousUnknown = false;
        foreach (var (start, end, id) in BestSegmentation(normalized))
        {
            bool unknown = id == UnkId;
            if (unknown && model.ByteFallback)
                for (int i = start; i < end; i++) ids.Add(byteIds[normalized[i]]);
            else if (!(unknown && previousUnknown))
                ids.Add(id);
            previousUnknown = unknown;
        }
        return ids;
    }

    /// <summary>Viterbi over byte offsets: (start, end, piece id) of the best path, in order.</summary>
    List<(int Start, int End, int Id)> BestSegmentation(byte[] text)
    {
        int size = text.Length;
        var bestId = new int[size + 1];
        var bestScore = new float[size + 1];
        var bestStart = new int[size + 1];
        Array.Fill(bestStart, -1);
        float unknownScore = minScore - UnknownPenalty;

        for (int start = 0; start < size; start = start + CharLength(text, start, size))
        {
            float scoreHere = bestScore[start];
            int charLength = CharLength(text, start, size);
            bool coversCharacter = false;
            int node = PieceTrie.Root;
            for (int end = start + 1; end <= size; end++)
            {
                node = trie.Child(node, text[end - 1]);
                if (node < 0) break;
                int id = trie.Value(node);
                if (id < 0) continue;
                var piece = model.Pieces[id];
                if (piece.Type == PieceType.Unused) continue;
                int length = end - start;
                // The C++ conditional mixes a double (user-defined bonus) with the float score, so the candidate
                // is a double compared against the stored float and only rounded when stored.
                double score = piece.Type == PieceType.UserDefined ? length * maxScore - 0.1 : piece.Score;
                double candidate = score + scoreHere;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = (float)candidate;
                    bestStart[end] = start;
                    bestId[end] = id;
                }
                if (length == charLength) coversCharacter = true;
            }
            if (!coversCharacter)
            {
                int end = start + charLength;
                float candidate = unknownScore + scoreHere;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = UnkId;
                }
            }
        }

        var path = new List<(int, int, int)>();
        for (int end = size; end > 0; end = bestStart[end])
            path.Add((bestStart[end], end, bestId[end]));
        path.Reverse();
        return path;
    }

    // The C++ reads the UTF-8 length from the lead byte alone and clips it at the end of the text.
    static int CharLength(byte[] text, int at, int size)
    {
        int lead = text[at] >> 4;
        int length = lead < 12 ? 1 : lead < 14 ? 2 : lead == 14 ? 3 : 4;
        return Math.Min(length, size - at);
    }

    /// <summary>A byte trie over the pieces: edges in one hash table keyed by (node, byte).</summary>
    sealed class PieceTrie
    {
        public const int Root = 0;
        readonly Dictionary<long, int> edges = [];
        readonly List<int> values = [-1];

        public bool Add(byte[] key, int id)
        {
            int node = Root;
            foreach (byte b in key)
            {
                long edge = ((long)node << 8) | b;
                if (!edges.TryGetValue(edge, out int child))
                {
                    child = values.Count;
                    values.Add(-1);
                    edges[edge] = child;
                }
                node = child;
            }
            if (values[node] >= 0) return false;
            values[node] = id;
            return true;
        }

        public int Child(int node, byte b) => edges.TryGetValue(((long)node << 8) | b, out int child) ? child : -1;

        public int Value(int node) => values[node];

        public int? Find(byte[] key)
        {
            int node = Root;
            foreach (byte b in key)
                if ((node = Child(node, b)) < 0) return null;
            return values[node] >= 0 ? values[node] : null;
        }
    }
}
