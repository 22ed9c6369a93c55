using Svi.Inference.Text;

namespace Svi.Testing;

/// <summary>The tests' <c>spiece.model</c>: the generated tokenizer random weights use (<see cref="GeneratedSentencePiece"/>).</summary>
public static class TinySentencePiece
{
    public static int Write(string path) => GeneratedSentencePiece.Write(path);
}
