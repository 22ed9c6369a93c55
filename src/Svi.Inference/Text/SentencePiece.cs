namespace Svi.Inference.Text;

public sealed record SentencePiece(string Piece, float Score, PieceType Type);
