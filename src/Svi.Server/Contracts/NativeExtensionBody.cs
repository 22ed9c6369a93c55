using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Svi.Inference.Pipeline;

namespace Svi.Server.Contracts;

// As the OpenAPI document describes it; handlers never bind it (see NativeGenerationBody).
/// <summary><c>POST /v1/videos/generations/{id}/extend</c>: continue a completed generation with more clips.</summary>
public sealed class NativeExtensionBody
{
    [Description("How the video goes on. Required unless 'prompts' is given.")]
    [MaxLength(GenerationRequest.MaxPromptLength)]
    public string? Prompt { get; init; }
    [Description("One prompt per new clip; the last repeats.")]
    [MinLength(1), MaxLength(GenerationRequest.MaxClips)]
    public string[]? Prompts { get; init; }
    [Description("Seconds to add (each new clip adds 4.75 s; default one clip); the whole video stays within 121.5 s.")]
    [Range(0.0625, ClipPlanner.MaxDurationSeconds)]
    public double? Duration { get; init; }
    [Description("Guidance scale for the new clips, in the range of the source's recipe; default the source's.")]
    [Range(1.0, 10.0)]
    public double? Cfg { get; init; }
    [Description("Seed of the clip-seed schedule (0 to 9223372036854775807); default the source's, so the new clips continue it.")]
    public long? Seed { get; init; }
}
