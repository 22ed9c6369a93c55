namespace Svi.Inference.Text;

/// <summary>A tokenizer model file that cannot be read or is not the kind this project encodes with.</summary>
public sealed class SentencePieceModelException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;
}
