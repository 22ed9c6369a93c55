namespace Svi.Server.Jobs;

/// <summary>
/// A renderer failure the user can act on (weights not installed, out of GPU memory, an unusable input). The job
/// records <see cref="Code"/> and the message verbatim on the generation. A
/// <see cref="Svi.Inference.Weights.WeightsMissingException"/> is recorded as <c>weights_missing</c>; any other
/// exception as <c>render_failed</c>, with its message.
/// </summary>
public class RenderFailedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
