namespace Svi.Inference.Weights;

/// <summary>
/// The model side of a LoRA match, by name and shape only: its linear layers (path → out, in features) and every
/// parameter (name → shape). Built from a live module by <see cref="Lora"/> and from the architecture's key table by
/// <c>models verify</c>, so both decide alike.
/// </summary>
public sealed record LoraTargets(string ModelName, IReadOnlyDictionary<string, (long Out, long In)> Linears,
    IReadOnlyDictionary<string, long[]> Parameters);
