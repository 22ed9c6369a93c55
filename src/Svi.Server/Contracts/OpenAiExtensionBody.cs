using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Svi.Server.Contracts;

// As the OpenAPI document describes it; handlers never bind it (see NativeGenerationBody).
/// <summary>OpenAI's <c>POST /v1/videos/extensions</c>.</summary>
public sealed class OpenAiExtensionBody
{
    [Required, MaxLength(GenerationRequest.MaxPromptLength)]
    [Description("How the video goes on.")]
    public string Prompt { get; init; } = "";
    [Description("Seconds to add as a string; default \"4\".")]
    public string? Seconds { get; init; }
    [Description("The video to continue: a completed video as video[id] (multipart) or {\"id\": ...} (JSON), or an uploaded video file part.")]
    public string? Video { get; init; }
    [Description("Model id or a configured alias.")]
    public string? Model { get; init; }
}
