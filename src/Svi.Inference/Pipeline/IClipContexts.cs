namespace Svi.Inference.Pipeline;

/// <summary>Where the text contexts of every clip come from (a seam: conformance sets supply the reference's).</summary>
public interface IClipContexts
{
    // → [1, text_len, text_dim]
    Tensor Positive(int clip);
    // → [1, text_len, text_dim]; only asked for when cfg ≠ 1
    Tensor Negative();
}
