namespace Svi.Inference.Text;

/// <summary>SentencePiece piece types (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }
