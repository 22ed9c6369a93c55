using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Svi.Server.Contracts;

// As the OpenAPI document describes it; handlers never bind it (see NativeGenerationBody).
/// <summary>OpenAI's <c>POST /v1/videos/{id}/remix</c>.</summary>
public sealed class RemixBody
{
    [Required, MaxLength(GenerationRequest.MaxPromptLength)]
    [Description("The new prompt; image, size, length, cfg and seed are the source's.")]
    public string Prompt { get; init; } = "";
}
