namespace Svi.Inference.Text;

/// <summary>Prompt → text context, the way Wan feeds its DiT.</summary>
public interface ITextEncoder
{
    // → [text_len, text_dim], rows past the prompt's real token count are zero
    Tensor Encode(string prompt);
}
