namespace Svi.Inference.Pipeline;

/// <summary>A generation request the pipeline cannot run as given (duration, motion latents, size): names the field.</summary>
public sealed class GenerationSpecException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}
