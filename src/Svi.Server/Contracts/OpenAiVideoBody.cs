using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Svi.Server.Contracts;

// As the OpenAPI document describes it; handlers never bind it (see NativeGenerationBody).
/// <summary>OpenAI's <c>POST /v1/videos</c> (the official clients send multipart).</summary>
public sealed class OpenAiVideoBody
{
    [Required, MaxLength(GenerationRequest.MaxPromptLength)]
    [Description("What happens in the video.")]
    public string Prompt { get; init; } = "";
    [Description("Model id or a configured alias; default svi-2-0-pro.")]
    public string? Model { get; init; }
    [Description("Seconds as a string, e.g. \"4\" (the default, rendered as one clip) up to \"121.5\".")]
    public string? Seconds { get; init; }
    [Description("WIDTHxHEIGHT: 832x480, 480x832, 1280x720 or 720x1280 (the document lists the sizes this deployment renders).")]
    public string? Size { get; init; }
    [Description("The first frame: a file part, input_reference[image_url] (multipart) or {\"image_url\": ...} (JSON).")]
    public string? InputReference { get; init; }
    [MaxLength(WebhookUrlPolicy.MaxLength)]
    [Description("An http(s) URL told (a signed video.completed, video.failed or video.cancelled event) when this video ends, besides the endpoints the operator configured.")]
    public string? WebhookUrl { get; init; }
}
