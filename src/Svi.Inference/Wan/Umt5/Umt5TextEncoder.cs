using Svi.Inference.Text;

namespace Svi.Inference.Wan.Umt5;

/// <summary>
/// Prompt → Wan text context: tokenize (512 ids), run the UMT5 encoder with the padding mask, zero every row past the
/// prompt's real tokens (Wan keeps only those rows and the DiT pads with zeros), and hand the result over on the
/// device and dtype the DiT wants. The encoder may live on the CPU while the DiT is on a GPU.
/// </summary>
public sealed class Umt5TextEncoder : ITextEncoder, IDisposable
{
    readonly Device outputDevice;
    readonly ScalarType? outputDtype;

    public Umt5TextEncoder(Umt5Tokenizer tokenizer, Umt5Encoder encoder, Device? outputDevice = null, ScalarType? outputDtype = null)
    {
        Tokenizer = tokenizer;
        Encoder = encoder;
        this.outputDevice = outputDevice ?? encoder.Device;
        this.outputDtype = outputDtype;
    }

    /// <summary>
    /// Loads <c>spiece.model</c> (or a Comfy-Org file embedding it, see <see cref="Umt5Tokenizer.Load"/>) and an
    /// encoder checkpoint (official Wan keys or the Hugging Face / Comfy-Org layout, FP8-scaled included).
    /// <paramref name="encoderDevice"/> is where the encoder runs, <paramref name="outputDevice"/> where the context
    /// goes (the DiT's device). <paramref name="tokenizerTensor"/> names the tensor a file embedding the tokenizer holds it in.
    /// </summary>
    public static Umt5TextEncoder Load(string spieceModelPath, string checkpointPath, Umt5Config? config = null,
        ScalarType dtype = ScalarType.BFloat16, Device? encoderDevice = null, Device? outputDevice = null,
        int textLength = Umt5Tokenizer.WanTextLength, string? tokenizerTensor = null)
    {
        var tokenizer = Umt5Tokenizer.Load(spieceModelPath, textLength, tokenizerTensor);
        var encoder = Umt5Encoder.Load(checkpointPath, config ?? Umt5Config.Xxl, dtype, encoderDevice);
        return new Umt5TextEncoder(tokenizer, encoder, outputDevice ?? encoder.Device);
    }

    public Umt5Tokenizer Tokenizer { get; }
    public Umt5Encoder Encoder { get; }

    // prompt → [text_len, dim], rows ≥ the token count (EOS included) are zero
    public Tensor Encode(string prompt)
    {
        var tokens = Tokenizer.Tokenize(prompt);
        using var scope = NewDisposeScope();
        // Wan runs all text_len positions with a padding mask and then drops the padded rows. Masked keys get a
        // logit of the dtype's lowest value, so their softmax weight is exactly zero: the real rows come out the same
        // from the real tokens alone, at a fraction of the cost (a prompt is tens of tokens, not 512).
        var ids = tensor(tokens.Ids[..tokens.Length], dtype: ScalarType.Int64).unsqueeze(0);
        var mask = ones_like(ids);
        var hidden = Encoder.forward(ids, mask)[0];
        var context = zeros(Tokenizer.TextLength, hidden.shape[1], dtype: outputDtype ?? hidden.dtype, device: outputDevice);
        context[TensorIndex.Slice(0, tokens.Length)] = hidden.to(context.dtype).to(outputDevice);
        return context.MoveToOuterDisposeScope();
    }

    public void Dispose() => Encoder.Dispose();
}
