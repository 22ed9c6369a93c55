using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Svi.Inference.Pipeline;

namespace Svi.Server.Contracts;

// The request bodies of the submitting routes, as the OpenAPI document describes them, side by side: the native ones
// first, then OpenAI's. Handlers never bind these: they read JSON or multipart themselves (SpecInput, the field readers)
// so that every error names its field. A test keeps each body's properties equal to the fields its parser accepts.
// Property names go out in snake_case, like every body of this API.

/// <summary><c>POST /v1/videos/generations</c>.</summary>
public sealed class NativeGenerationBody
{
    [Description("Model id or a configured alias; default svi-2-0-pro.")]
    public string? Model { get; init; }
    [Description("What happens in the video. Required unless 'prompts' is given; with 'prompts' it replaces the first.")]
    [MaxLength(GenerationRequest.MaxPromptLength)]
    public string? Prompt { get; init; }
    [Description("One prompt per clip (81 frames, the later ones adding 76); the last repeats.")]
    [MinLength(1), MaxLength(GenerationRequest.MaxClips)]
    public string[]? Prompts { get; init; }
    [Description("The anchor image: a file part (multipart), an http(s) URL, a data: URI, raw base64, or {\"image_url\": ...}. " +
                 "JPEG, PNG, WebP, BMP, TIFF or HEIC/HEIF. Absent: text-to-video.")]
    public string? Image { get; init; }
    [Description("WIDTHxHEIGHT: 832x480, 480x832, 1280x720 or 720x1280 (the document lists the sizes this deployment renders).")]
    public string? Resolution { get; init; }
    [Description("Seconds of video, from one clip (5.0625 s; shorter rounds up to it) to 121.5; default 18.")]
    [Range(0.0625, ClipPlanner.MaxDurationSeconds)]
    public double? Duration { get; init; }
    [Description("'distilled' (default: SVI 2.0 Pro + LightX2V distill LoRAs, 6 steps) or 'reference' (the official 50 steps). " +
                 "GET /v1/models/svi-2-0-pro lists each recipe's steps, cfg range and files.")]
    public string? Recipe { get; init; }
    [Description("Guidance scale; above 1 runs the negative pass. distilled: 1.0–2.0 (1.0–1.3 lets scenes flow, 1.5–2.0 follows " +
                 "each prompt literally), default 1.0 as the hosted API; reference: 1–10, default 5.")]
    [Range(1.0, 10.0)]
    public double? Cfg { get; init; }
    [Description("What to steer away from; by default the hosted API's English negative prompt (GET /v1/models/svi-2-0-pro shows " +
                 "it). Encoded only when cfg > 1.")]
    [MaxLength(GenerationRequest.MaxPromptLength)]
    public string? NegativePrompt { get; init; }
    [Description("Text-to-video path when no image is given: 'quality' (default) or 'fast'.")]
    public string? T2vQuality { get; init; }
    [Description("Seed from 0 to 9223372036854775807; random when absent. The same seed and inputs give the same video.")]
    public long? Seed { get; init; }
    [Description("Frames per second: 16 (as rendered) or 32 (RIFE v4.9 through ONNX Runtime inserts the middle frame between every " +
                 "two, so N frames become 2N - 1; needs './svi models pull --interpolation'). Default: Svi:Output:Fps (16).")]
    [AllowedValues(16, 32)]
    public int? Fps { get; init; }
    [Description("Strength each LoRA merges at, by its model-manifest role: lora_high, lora_low (SVI 2.0 Pro; both recipes) and " +
                 "distill_lora_high, distill_lora_low (LightX2V; distilled only), each 0 to 4, e.g. {\"lora_high\": 0.8, \"distill_lora_high\": 0.5}. " +
                 "A LoRA not named keeps the deployment's strength (GET /v1/models/svi-2-0-pro lists them); in a form, send the object " +
                 "as JSON text or one field per LoRA (lora_strengths[lora_high]). Other strengths than the loaded models' cost the worker a reload of the experts.")]
    public Dictionary<string, double>? LoraStrengths { get; init; }
    [MaxLength(WebhookUrlPolicy.MaxLength)]
    [Description("An http(s) URL told (a signed video.completed, video.failed or video.cancelled event) when this video ends, besides the endpoints the operator configured.")]
    public string? WebhookUrl { get; init; }
}

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

/// <summary>OpenAI's <c>POST /v1/videos/{id}/remix</c>.</summary>
public sealed class RemixBody
{
    [Required, MaxLength(GenerationRequest.MaxPromptLength)]
    [Description("The new prompt; image, size, length, cfg and seed are the source's.")]
    public string Prompt { get; init; } = "";
}
