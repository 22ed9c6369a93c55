namespace Svi.Inference.Rendering;

/// <summary>
/// A render failure the user can act on (out of GPU memory, an unusable extension source or upload). The server's job
/// records <see cref="Code"/> and the message verbatim on the generation. A
/// <see cref="Weights.WeightsMissingException"/> is recorded as <c>weights_missing</c>; any other exception as
/// <c>render_failed</c>, with its message.
/// </summary>
public class RenderFailedException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;

    /// <summary>An extension's source lacks part of the state a continuation needs.</summary>
    public static RenderFailedException SourceStateMissing(string what) => new("source_state_missing",
        $"The source video's stored state is incomplete ({what} is missing), so it cannot be continued; " +
        "extend a video rendered by this server before it expires.");
}
