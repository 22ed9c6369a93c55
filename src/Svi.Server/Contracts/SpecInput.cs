namespace Svi.Server.Contracts;

/// <summary>
/// A generation's fields as a caller gave them, before <see cref="SpecValidator"/> checks them: the native body, the
/// OpenAI body and <c>./svi generate</c>'s flags each map onto it. Null means "not given": the deployment's default.
/// </summary>
public sealed record SpecInput
{
    public string? Model { get; init; }
    public string? Prompt { get; init; }
    public IReadOnlyList<string>? Prompts { get; init; }
    public string? NegativePrompt { get; init; }
    public string? Resolution { get; init; }
    public double? Duration { get; init; }
    public string? Recipe { get; init; }
    public double? Cfg { get; init; }
    public long? Seed { get; init; }
    public string? T2vQuality { get; init; }
    public long? Fps { get; init; }
    /// <summary>LoRA strengths by wire name (<c>lora_high</c>, …) as given, keys unchecked; those not named keep the deployment's.</summary>
    public IReadOnlyDictionary<string, double>? LoraStrengths { get; init; }
    public bool HasImage { get; init; }
    /// <summary>The request's own receiver for <c>video.completed</c> and the like; kept beside the spec, not in it (see <see cref="GenerationRequest"/>).</summary>
    public string? WebhookUrl { get; init; }
}
